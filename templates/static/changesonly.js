// The redline, changes only: an option that hides the unchanged blocks except the one before
// and the one after each change and the heading of each changed section, with a mark where
// text was left out. The full text stays the default and stays in the page (only hidden).
(function () {
  "use strict";
  var box = document.querySelector("input[data-changes-only]");
  var redline = document.querySelector("[data-diff='inline']");
  if (!box || !redline) { return; }
  var blocks = Array.prototype.slice.call(redline.querySelectorAll(".diff-block"))
    .filter(function (b) { return !b.parentElement.closest(".diff-block"); });
  function changed(b) { return b.hasAttribute("data-change") || b.querySelector("[data-change]") !== null; }
  var keep = blocks.map(function () { return false; });
  var lastHeading = -1;
  blocks.forEach(function (b, i) {
    if (b.classList.contains("kind-heading")) { lastHeading = i; }
    if (changed(b)) {
      keep[i] = true;
      if (i > 0) { keep[i - 1] = true; }
      if (i + 1 < blocks.length) { keep[i + 1] = true; }
      if (lastHeading >= 0) { keep[lastHeading] = true; }
    }
  });
  var gaps = [];
  function apply(on) {
    gaps.forEach(function (g) { g.remove(); });
    gaps = [];
    blocks.forEach(function (b, i) {
      b.hidden = on && !keep[i];
      if (on && !keep[i] && (i === 0 || keep[i - 1])) {
        var gap = document.createElement(b.tagName === "LI" ? "li" : "p");
        gap.className = "changes-gap";
        gap.textContent = box.getAttribute("data-gap");
        b.parentNode.insertBefore(gap, b);
        gaps.push(gap);
      }
    });
  }
  box.closest(".changes-only-toggle").hidden = false;
  box.addEventListener("change", function () { apply(box.checked); });
})();
