// The compare form: go straight to the prepared diff page of the chosen pair.
// Without JavaScript the form opens the compare page, which lists every prepared pair.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form.compare");
  Array.prototype.forEach.call(forms, function (form) {
    var pairs = JSON.parse(form.getAttribute("data-pairs") || "{}");
    form.addEventListener("submit", function (event) {
      var a = form.elements.from.value, b = form.elements.to.value;
      if (a > b) { var t = a; a = b; b = t; }
      var url = pairs[a + "/" + b];
      var out = form.querySelector("[data-compare-message]");
      event.preventDefault();
      if (a === b) { out.textContent = form.getAttribute("data-same"); return; }
      if (url) { location.href = form.getAttribute("data-base") + url; } else { out.textContent = form.getAttribute("data-missing"); }
    });
  });
  // On the compare page itself: honour ?from=&to= from a form submitted before the script ran.
  var params = new URLSearchParams(location.search);
  var page = document.querySelector("[data-compare-page]");
  if (page && params.get("from") && params.get("to")) {
    var all = JSON.parse(page.getAttribute("data-pairs") || "{}");
    var x = params.get("from"), y = params.get("to");
    if (x > y) { var s = x; x = y; y = s; }
    if (all[x + "/" + y]) { location.replace(page.getAttribute("data-base") + all[x + "/" + y]); }
  }
})();
