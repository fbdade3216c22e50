// The static edition's behaviour: draw the charts from the JSON in the page, sort and filter the
// tables, keep the filters in the address, download the rows shown. Nothing is fetched.
"use strict";

(function () {
  var charts = [];

  function figureOf(div) {
    var figure = JSON.parse(document.getElementById(div.dataset.figure).textContent);
    var layout = figure.layout || {};
    delete layout.width;  // the figures are sized for the live app; here they follow the page
    layout.autosize = true;
    return { data: figure.data || [], layout: layout };
  }

  function drawCharts() {
    var divs = Array.prototype.slice.call(document.querySelectorAll(".chart"));
    var started = performance.now();
    function next(i) {
      if (i >= divs.length) {
        document.body.dataset.chartsDrawn = String(divs.length);
        applyFilters();
        return;
      }
      var div = divs[i];
      if (div.offsetParent === null && div.closest("[hidden]")) {
        div.dataset.deferred = "1";  // drawn when its choice is shown
        next(i + 1);
        return;
      }
      draw(div).then(function () {
        if (i === 0) {
          document.body.dataset.firstChartMs = String(Math.round(performance.now()));
          document.body.dataset.firstChartDrawMs = String(Math.round(performance.now() - started));
        }
        // Leave the browser a frame between charts, so the first one shows at once.
        requestAnimationFrame(function () { next(i + 1); });
      });
    }
    next(0);
  }

  function draw(div) {
    var figure = figureOf(div);
    charts.push(div);
    div.dataset.deferred = "";
    return Plotly.newPlot(div, figure.data, figure.layout,
      { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["sendDataToCloud"] })
      .then(function () { div.dataset.drawn = "1"; });
  }

  // --- print: each chart redrawn to the sheet's width, and back after (edition.css) ----------
  var PRINT_WIDTH = 660;  // px: an A4 or Letter sheet's width within its margins, at 96 dpi
  function fitCharts(printing) {
    charts.forEach(function (div) {
      if (div.dataset.drawn !== "1") return;
      Plotly.relayout(div, printing ? { width: PRINT_WIDTH, autosize: false }
                                    : { width: null, autosize: true });
    });
  }
  var printMedia = window.matchMedia("print");
  printMedia.addEventListener("change", function (event) { fitCharts(event.matches); });
  window.addEventListener("beforeprint", function () { fitCharts(true); });
  window.addEventListener("afterprint", function () { fitCharts(false); });

  // --- filters, kept in the address (#forum=IGF&year=2014&q=words) ---------------------------
  var form = document.querySelector("form.filters");

  function state() {
    var params = new URLSearchParams(location.hash.slice(1));
    return { forum: params.get("forum") || "", year: params.get("year") || "", q: params.get("q") || "" };
  }

  function restoreForm() {
    if (!form) return;
    var s = state();
    ["forum", "year", "q"].forEach(function (name) {
      if (form.elements[name]) form.elements[name].value = s[name];
    });
  }

  function saveForm() {
    var params = new URLSearchParams();
    ["forum", "year", "q"].forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) params.set(name, field.value);
    });
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    citeUrl();
    applyFilters();
  }

  function applyFilters() {
    var s = state();
    var words = s.q.toLowerCase();
    document.querySelectorAll("table.filterable").forEach(function (table) {
      var shown = 0;
      table.tBodies[0].querySelectorAll("tr").forEach(function (row) {
        var ok = (!s.forum || row.dataset.forum === s.forum) &&
                 (!s.year || row.dataset.year === s.year) &&
                 (!words || row.textContent.toLowerCase().indexOf(words) >= 0);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      var count = document.querySelector('.count[data-for="' + table.id + '"]');
      // "1 of 1 row", "3 of 40 rows": bestbits/wording.py says counts the same way.
      var total = table.tBodies[0].rows.length;
      if (count) count.textContent = shown.toLocaleString("en") + " of " +
                                     total.toLocaleString("en") + (total === 1 ? " row" : " rows");
    });
    charts.forEach(function (div) {
      if (!div.dataset.drawn) return;
      // A chart never filtered needs no redraw while no filter is set.
      if (!s.forum && !s.year && !div.dataset.filtered) return;
      div.dataset.filtered = (s.forum || s.year) ? "1" : "";
      if (div.dataset.forumTraces) {
        var visible = div.data.map(function (trace) {
          var forum = trace.legendgroup || trace.name;
          var isForum = form && Array.prototype.some.call(form.elements.forum.options,
            function (o) { return o.value && o.value === forum; });
          return !s.forum || !isForum || forum === s.forum;
        });
        Plotly.restyle(div, { visible: visible });
      }
      if (div.dataset.yearAxis) {
        var update = {};
        Object.keys(div.layout).forEach(function (key) {
          if (!/^xaxis\d*$/.test(key)) return;
          if (!s.year) { update[key + ".autorange"] = true; return; }
          var y = Number(s.year);
          update[key + ".range"] = div.dataset.yearAxis === "date"
            ? [y + "-01-01", y + "-12-31"] : [y - 0.5, y + 0.5];
        });
        Plotly.relayout(div, update);
      }
    });
  }

  // --- sorting -------------------------------------------------------------------------------
  function sortable(table) {
    table.querySelectorAll("th").forEach(function (th, column) {
      th.querySelector("button").addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
          var noneX = x === "" || x === "—", noneY = y === "" || y === "—";
          if (noneX || noneY) return noneX - noneY;  // rows without a value last, either way
          var nx = Number(x), ny = Number(y);
          var order = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) ? nx - ny
            : x.localeCompare(y, undefined, { numeric: true });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  // --- the rows shown, as CSV ----------------------------------------------------------------
  function csvCell(text) {
    return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function downloadShown(table) {
    var lines = [Array.prototype.map.call(table.tHead.rows[0].cells,
      function (c) { return csvCell(c.dataset.column); }).join(",")];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      if (row.hidden) return;
      lines.push(Array.prototype.map.call(row.cells, function (cell) {
        var link = cell.querySelector("a[title]");  // a source link: its address, not its label
        return csvCell(link ? link.getAttribute("title") : cell.textContent.trim());
      }).join(","));
    });
    var blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = table.dataset.file || ("bestbits-" + table.id + ".csv");
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  function citeUrl() {
    document.querySelectorAll(".cite-url").forEach(function (span) {
      span.textContent = location.protocol.indexOf("http") === 0 ? ", " + location.href : "";
    });
  }

  // A choice drawn once per option (the Sources page's table): show the one chosen.
  function choices() {
    document.querySelectorAll("select[data-choice-for]").forEach(function (select) {
      select.addEventListener("change", function () {
        document.querySelectorAll('.choice-option[data-choice="' + select.dataset.choiceFor + '"]')
          .forEach(function (box) {
            box.hidden = box.dataset.option !== select.value;
            if (box.hidden) return;
            box.querySelectorAll(".chart").forEach(function (div) {
              if (div.dataset.deferred === "1") draw(div);
              else if (div.dataset.drawn) Plotly.Plots.resize(div);
            });
          });
      });
    });
  }

  // A long text a page at a time, with buttons; printed whole (edition.css).
  function textPages() {
    document.querySelectorAll(".text-pages").forEach(function (box) {
      var pages = box.querySelectorAll(".text-page");
      if (pages.length < 2) return;
      var shown = 0;
      var nav = document.createElement("p");
      nav.className = "text-pager";
      var earlier = document.createElement("button");
      var later = document.createElement("button");
      var where = document.createElement("span");
      earlier.type = later.type = "button";
      earlier.textContent = "Previous page";
      later.textContent = "Next page";
      function show(index) {
        shown = index;
        pages.forEach(function (page, i) { page.hidden = i !== index; });
        where.textContent = " Page " + (index + 1) + " of " + pages.length + " ";
        earlier.disabled = index === 0;
        later.disabled = index === pages.length - 1;
      }
      earlier.addEventListener("click", function () { show(shown - 1); });
      later.addEventListener("click", function () { show(shown + 1); });
      nav.appendChild(earlier);
      nav.appendChild(where);
      nav.appendChild(later);
      box.appendChild(nav);
      show(0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    document.querySelectorAll("table.sortable").forEach(sortable);
    document.querySelectorAll("button.csv").forEach(function (button) {
      button.addEventListener("click", function () {
        var table = document.getElementById(button.dataset.for);
        table.dataset.file = button.dataset.file || "";
        downloadShown(table);
      });
    });
    restoreForm();
    applyFilters();
    if (form) form.addEventListener("input", saveForm);
    window.addEventListener("hashchange", function () { restoreForm(); applyFilters(); });
    citeUrl();
    choices();
    textPages();
  });
})();
