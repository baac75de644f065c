// Keyboard navigation between changes: n / j = next, p / k = previous.
// The links in .change-nav do the same without JavaScript. The single-letter keys can be
// switched off (WCAG 2.1.4) with the page's checkbox; the choice is kept in this browser.
(function () {
  "use strict";
  // Side by side: each long unchanged run folds behind its button (all rows show without JS).
  Array.prototype.forEach.call(document.querySelectorAll("table.sbs tbody.fold-toggle"), function (toggle) {
    var run = toggle.nextElementSibling;
    var button = toggle.querySelector("button");
    if (!run || !button) { return; }
    run.hidden = true;
    toggle.hidden = false;
    button.addEventListener("click", function () {
      run.hidden = !run.hidden;
      button.setAttribute("aria-expanded", String(!run.hidden));
    });
  });
  var changes = Array.prototype.slice.call(document.querySelectorAll("[data-change]"));
  if (!changes.length) { return; }
  var KEY = "policy-archive:shortcuts";
  var enabled = true;
  try { enabled = window.localStorage.getItem(KEY) !== "off"; } catch (e) { /* no storage */ }
  var toggle = document.querySelector("[data-shortcuts]");
  if (toggle) {
    toggle.checked = enabled;
    toggle.closest(".shortcut-toggle").hidden = false;
    toggle.addEventListener("change", function () {
      enabled = toggle.checked;
      try { window.localStorage.setItem(KEY, enabled ? "on" : "off"); } catch (e) { /* ignore */ }
    });
  }
  function currentIndex() {
    var id = decodeURIComponent(location.hash.slice(1));
    for (var i = 0; i < changes.length; i++) { if (changes[i].id === id) { return i; } }
    var y = window.scrollY + 10;
    var idx = -1;
    for (var j = 0; j < changes.length; j++) {
      if (changes[j].getBoundingClientRect().top + window.scrollY <= y) { idx = j; }
    }
    return idx;
  }
  function go(step) {
    var i = currentIndex() + step;
    if (i < 0) { i = 0; }
    if (i >= changes.length) { i = changes.length - 1; }
    var target = changes[i];
    var details = target.closest("details");
    if (details) { details.open = true; }
    location.hash = target.id;
    target.focus({ preventScroll: true });
  }
  document.addEventListener("keydown", function (event) {
    if (!enabled || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") { return; }
    if (event.key === "n" || event.key === "j") { go(1); event.preventDefault(); }
    if (event.key === "p" || event.key === "k") { go(-1); event.preventDefault(); }
  });
})();
