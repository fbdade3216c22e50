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

async function render({ model, el }) {
  const Plotly = await loadPlotly(model.get("plotly_file"));
  const draw = () => {
    const figure = JSON.parse(model.get("figure"));
    return Plotly.react(el, figure.data || [], figure.layout || {}, CONFIG);
  };
  await draw();
  el.on("plotly_click", (event) => {
    const points = (event.points || []).map((p) => ({
      curve: p.curveNumber,
      index: p.pointNumber ?? p.pointIndex,
      x: p.x ?? null,
      y: p.y ?? null,
    }));
    if (points.length) model.send({ event: "click", points });
  });
  model.on("change:figure", draw);
  return () => {
    model.off("change:figure", draw);
    Plotly.purge(el);
  };
}

export default { render };
