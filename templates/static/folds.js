// A diff page's long sections (its summary, the notices in between) are folded once this
// script runs, so the changes come first (without scripts they stay open); they print
// open and are folded again afterwards.
(function () {
  "use strict";
  var folds = Array.prototype.slice.call(document.querySelectorAll("details.section-fold"));
  folds.forEach(function (d) { d.open = false; });
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = folds.filter(function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
})();
