// The redline, changes first: each long run of unchanged blocks is folded behind a button
// (the block before and after each change and the heading of its section stay), so the
// first change is on the first screen; a button shows its run, the checkbox all of them.
// The full text stays in the page (only hidden) and is printed whole.
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
  // The runs to fold: neighbouring blocks not kept, two at least (one block is shown as is).
  var runs = [];
  blocks.forEach(function (b, i) {
    if (keep[i]) { return; }
    var run = runs[runs.length - 1];
    if (run && run.end === i) { run.end = i + 1; }
    else { runs.push({ start: i, end: i + 1 }); }
  });
  runs = runs.filter(function (r) { return r.end - r.start > 1; });
  if (!runs.length) { return; }
  var show = box.getAttribute("data-gap-show") || "";
  function fold(run, on) {
    for (var i = run.start; i < run.end; i++) { blocks[i].hidden = on; }
    if (run.gap) { run.gap.hidden = !on; }
  }
  runs.forEach(function (run) {
    var first = blocks[run.start];
    var row = first.tagName === "TR";
    var gap = document.createElement(row ? "tr" : first.tagName === "LI" ? "li" : "p");
    gap.className = "changes-gap no-print";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "changes-gap-button";
    button.textContent = show.replace("{n}", String(run.end - run.start));
    button.addEventListener("click", function () { fold(run, false); });
    if (row) {  // a run that starts inside a table: the button in a row of its own
      var cell = document.createElement("td");
      cell.colSpan = first.children.length || 1;
      cell.appendChild(button);
      gap.appendChild(cell);
    } else {
      gap.appendChild(button);
    }
    first.parentNode.insertBefore(gap, first);
    run.gap = gap;
  });
  function apply(on) { runs.forEach(function (run) { fold(run, on); }); }
  box.checked = true;
  apply(true);
  box.closest(".changes-only-toggle").hidden = false;
  box.addEventListener("change", function () { apply(box.checked); });
  window.addEventListener("beforeprint", function () { apply(false); });
  window.addEventListener("afterprint", function () { apply(box.checked); });
})();
