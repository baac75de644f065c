// The compare form: go straight to the prepared diff page of the chosen pair. A pair that is
// not prepared says so and offers the pages that exist: each version against the current one,
// and the consecutive steps between them. Without JavaScript the form opens the compare page,
// which lists every prepared pair.
(function () {
  "use strict";
  function offers(form, a, b, pairs) {
    var base = form.getAttribute("data-base");
    var labels = JSON.parse(form.getAttribute("data-labels") || "{}");
    var current = form.getAttribute("data-current");
    var box = form.querySelector("[data-compare-offers]");
    box.textContent = "";
    function link(x, y) {
      var url = pairs[(x < y ? x : y) + "/" + (x < y ? y : x)];
      if (!url) { return null; }
      var el = document.createElement("a");
      el.href = base + url;
      el.textContent = (labels[x < y ? x : y] || x) + " → " + (labels[x < y ? y : x] || y);
      return el;
    }
    var found = [];
    [a, b].forEach(function (k) { if (current && k !== current) { var l = link(k, current); if (l) { found.push(l); } } });
    var keys = Object.keys(labels).sort();
    var steps = [];
    for (var i = 0; i < keys.length - 1; i++) {
      if (keys[i] >= a && keys[i + 1] <= b) { var s = link(keys[i], keys[i + 1]); if (s) { steps.push(s); } }
    }
    if (!found.length && !steps.length) { return; }
    var p = document.createElement("p");
    p.textContent = form.getAttribute("data-offer");
    box.appendChild(p);
    var list = document.createElement("ul");
    found.forEach(function (l) { var li = document.createElement("li"); li.appendChild(l); list.appendChild(li); });
    if (steps.length) {
      var li = document.createElement("li");
      li.appendChild(document.createTextNode(form.getAttribute("data-steps") + " "));
      steps.forEach(function (s, n) { if (n) { li.appendChild(document.createTextNode(" · ")); } li.appendChild(s); });
      list.appendChild(li);
    }
    box.appendChild(list);
  }
  function choose(form, a, b) {
    var pairs = JSON.parse(form.getAttribute("data-pairs") || "{}");
    if (a > b) { var t = a; a = b; b = t; }
    var out = form.querySelector("[data-compare-message]");
    form.querySelector("[data-compare-offers]").textContent = "";
    if (a === b) { out.textContent = form.getAttribute("data-same"); return false; }
    var url = pairs[a + "/" + b];
    if (url) { location.href = form.getAttribute("data-base") + url; return true; }
    out.textContent = form.getAttribute("data-missing");
    offers(form, a, b, pairs);
    return false;
  }
  var forms = document.querySelectorAll("form.compare");
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      choose(form, form.elements.from.value, form.elements.to.value);
    });
  });
  // On the compare page itself: honour ?from=&to= from a form submitted before the script
  // ran; a pair that is not prepared is said so there, with what exists instead.
  var params = new URLSearchParams(location.search);
  var page = document.querySelector("[data-compare-page]");
  var pageForm = page && page.querySelector("form.compare");
  if (pageForm && params.get("from") && params.get("to")) {
    pageForm.elements.from.value = params.get("from");
    pageForm.elements.to.value = params.get("to");
    var all = JSON.parse(pageForm.getAttribute("data-pairs") || "{}");
    var x = params.get("from"), y = params.get("to");
    if (x > y) { var s = x; x = y; y = s; }
    if (all[x + "/" + y]) { location.replace(pageForm.getAttribute("data-base") + all[x + "/" + y]); } else { choose(pageForm, x, y); }
  }
})();
