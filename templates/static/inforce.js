// "Which version applied on a given day": the date field jumps to the version in force on
// that day (also from ?on=YYYY-MM-DD, an address to share). Without JavaScript the list of
// periods under it answers the same question.
(function () {
  "use strict";
  var form = document.querySelector("form.in-force-form");
  if (!form) { return; }
  var periods = JSON.parse(form.getAttribute("data-periods") || "[]");  // [key, until, path]
  function versionOn(day) {
    var found = null;
    periods.forEach(function (p) {
      if (p[0] <= day && (p[1] === null || day <= p[1])) { found = p; }
    });
    return found;
  }
  function go(day) {
    var p = versionOn(day);
    if (p) { location.href = form.getAttribute("data-base") + p[2]; return; }
    form.querySelector("output").textContent = form.getAttribute("data-none");
  }
  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    go(form.elements.on.value);
  });
  var asked = new URLSearchParams(location.search).get("on");
  if (asked && /^\d{4}-\d{2}-\d{2}$/.test(asked)) { form.elements.on.value = asked; go(asked); }
})();
