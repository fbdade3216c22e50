// The first paint (dashboards/live/first_paint.py): the view the address names, drawn from the
// views computed once for every visitor as soon as the page's HTML arrives, before the visit's
// kernel connects. It lies over the place where the widgets will be, and goes once they have
// drawn (or have had their time): the live page under it is the same markup, so nothing jumps.
(function () {
  "use strict";
  var GIVE_UP_MS = 60000;  // a kernel that never comes: the painted view stays readable until then

  function plotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    var script = document.querySelector("script[data-bestbits-plotly]");
    if (!script) return Promise.reject(new Error("no plotly.js on the page"));
    return new Promise(function (resolve, reject) {
      script.addEventListener("load", function () { resolve(window.Plotly); });
      script.addEventListener("error", reject);
    });
  }

  // Only an address with no filter names a view computed in advance: ?page=<id> (or nothing).
  function pageOfAddress() {
    var params = new URLSearchParams(location.search);
    var keys = [];
    params.forEach(function (_value, key) { keys.push(key); });
    if (keys.some(function (key) { return key !== "page"; })) return null;
    return params.get("page") || "overview";
  }

  function liveDrawn(cells) {
    if (!cells || cells.style.display === "none") return false;
    var charts = cells.querySelectorAll(".js-plotly-plot");
    if (charts.length) return Array.prototype.some.call(charts, function (gd) { return gd._fullLayout; });
    // A page without charts: its markup is there once the router's navigation is.
    return !!cells.querySelector(".bb-nav");
  }

  function draw(painted, page) {
    if (window.Plotly) {
      painted.querySelectorAll(".js-plotly-plot").forEach(function (gd) { window.Plotly.purge(gd); });
    }
    painted.innerHTML = page.html;  // the live face's own markup, escaped where it was written
    plotly().then(function (Plotly) {
      page.charts.forEach(function (chart) {
        var element = document.getElementById(chart.element);
        if (element) Plotly.newPlot(element, chart.figure.data || [], chart.figure.layout || {},
                                    { displaylogo: false, responsive: false });
      });
    }).catch(function () { /* the widgets draw the charts when the kernel comes */ });
  }

  window.bestbitsFirstPaint = function (dataElement) {
    var data;
    try { data = JSON.parse(dataElement.textContent); } catch (error) { return; }
    var pageId = pageOfAddress();
    var page = pageId && data.pages && data.pages[pageId];
    if (!page) return;
    var painted = document.createElement("div");
    painted.id = "bb-first-paint";
    painted.setAttribute("aria-busy", "true");
    document.body.appendChild(painted);
    draw(painted, page);
    // The navigation works before the kernel: another page painted in place (no reload, which
    // would start another kernel); the kernel opens that address when it connects
    // (dashboards/live/location.js reads window.bestbitsAddressMoved).
    painted.addEventListener("click", function (event) {
      var link = event.target instanceof Element ? event.target.closest("a[href^='?']") : null;
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
          event.altKey) return;
      var target = new URLSearchParams(link.getAttribute("href")).get("page");
      var next = target && data.pages[target];
      if (!next || link.getAttribute("href") !== "?page=" + target) return;
      event.preventDefault();
      history.pushState({}, "", link.getAttribute("href"));
      window.bestbitsAddressMoved = true;
      draw(painted, next);
    });
    var started = Date.now();
    var timer = setInterval(function () {
      if (liveDrawn(document.getElementById("rendered_cells")) || Date.now() - started > GIVE_UP_MS) {
        clearInterval(timer);
        if (window.Plotly) {
          painted.querySelectorAll(".js-plotly-plot").forEach(function (gd) { window.Plotly.purge(gd); });
        }
        painted.remove();
      }
    }, 50);
  };
})();
