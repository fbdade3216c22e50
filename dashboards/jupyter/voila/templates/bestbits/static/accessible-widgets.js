// Accessible names for the parts of ipywidgets' controls that have none (tests/browser/
// test_accessibility.py): a range slider's two handles (noUiSlider's role="slider" elements) are
// not tied to the slider's description label, so a screen reader would announce them unnamed.
// Each handle is named after its slider's label, "from" and "to"; widgets drawn later (a page
// switch, a redraw) are named as they appear.
(function () {
  "use strict";

  function labelOf(element) {
    var box = element.closest(".widget-slider, .widget-hslider, .widget-inline-hbox");
    var label = box && box.querySelector(".widget-label");
    return label ? label.textContent.trim() : "";
  }

  function nameHandles(root) {
    root.querySelectorAll(".noUi-handle:not([aria-label])").forEach(function (handle) {
      var name = labelOf(handle) || "Range";
      var end = handle.classList.contains("noUi-handle-upper") ? "to" :
                handle.classList.contains("noUi-handle-lower") ? "from" : "";
      handle.setAttribute("aria-label", end ? name + ", " + end : name);
    });
  }

  function start() {
    nameHandles(document);
    new MutationObserver(function () { nameHandles(document); })
      .observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
