// Front end of dashboards/plotly_chart.py: draws a figure given as plotly JSON with the one
// plotly.js of the page, and sends clicked points back to the kernel.

function baseUrl() {
  const config = document.getElementById("jupyter-config-data");
  try {
    return JSON.parse(config.textContent).baseUrl || "/";
  } catch {
    return "/";
  }
}

// The Voila template starts fetching plotly.js in the page head (so it loads beside Voila's own
// scripts); elsewhere (JupyterLab) the first chart adds the script. Every chart shares one copy.
function loadPlotly(file) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__bestbitsPlotly) {
    window.__bestbitsPlotly = new Promise((resolve, reject) => {
      let script = document.querySelector("script[data-bestbits-plotly]");
      if (!script) {
        script = document.createElement("script");
        script.async = true;
        script.dataset.bestbitsPlotly = "";
        script.src = new URL(`voila/static/${file}`, new URL(baseUrl(), location.href)).href;
        document.head.appendChild(script);
      }
      script.addEventListener("load", () =>
        window.Plotly ? resolve(window.Plotly) : reject(new Error("plotly.js did not define Plotly")));
      script.addEventListener("error", () =>
        reject(new Error(`plotly.js could not be fetched from ${script.src}`)));
    });
  }
  return window.__bestbitsPlotly;
}

const CONFIG = { displaylogo: false, responsive: false };

// The chart's text alternative under it (page_view.chart_text, the same words the first paint
// and the edition show): a closed disclosure a reader opens, read as text by a screen reader.
// A chart a click acts on lists its marks there too, as buttons that send the same click.
function chartText(model) {
  const details = document.createElement("details");
  details.className = "bb-chart-text";
  const summary = document.createElement("summary");
  summary.textContent = "The chart in words";
  const words = document.createElement("p");
  const marks = document.createElement("div");
  marks.className = "bb-chart-marks";
  details.append(summary, words, marks);
  const fill = () => {
    words.textContent = model.get("description");
    const found = JSON.parse(model.get("marks") || "[]");
    marks.replaceChildren();
    if (!found.length) return;
    const intro = document.createElement("p");
    intro.textContent = "Choose a mark to see the rows behind it (as a click on the chart does):";
    const list = document.createElement("ul");
    found.forEach((mark) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = mark.label;
      button.addEventListener("click", () => model.send({
        event: "click", points: [{ curve: mark.curve, index: mark.index, x: mark.x, y: mark.y }],
      }));
      item.append(button);
      list.append(item);
    });
    marks.append(intro, list);
  };
  fill();
  return { details, fill };
}

async function render({ model, el }) {
  const Plotly = await loadPlotly(model.get("plotly_file"));
  const plot = document.createElement("div");
  const text = chartText(model);
  el.append(plot, text.details);
  const draw = () => {
    const figure = JSON.parse(model.get("figure"));
    return Plotly.react(plot, figure.data || [], figure.layout || {}, CONFIG);
  };
  await draw();
  plot.on("plotly_click", (event) => {
    const points = (event.points || []).map((p) => ({
      curve: p.curveNumber,
      index: p.pointNumber ?? p.pointIndex,
      x: p.x ?? null,
      y: p.y ?? null,
    }));
    if (points.length) model.send({ event: "click", points });
  });
  model.on("change:figure", draw);
  model.on("change:description", text.fill);
  model.on("change:marks", text.fill);
  return () => {
    model.off("change:figure", draw);
    model.off("change:description", text.fill);
    model.off("change:marks", text.fill);
    Plotly.purge(plot);
  };
}

export default { render };
