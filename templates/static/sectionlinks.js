// A version page's links to the previous, next and current versions keep the section being
// read: the one in the address, else the last heading scrolled past, when the other version
// has a section with that id. Without JavaScript they lead to the top of that version.
(function () {
  "use strict";
  var links = document.querySelectorAll("nav.version-steps a[data-sections]");
  var text = document.querySelector("[data-policy-text]");
  if (!links.length || !text) { return; }
  var headings = Array.prototype.slice.call(text.querySelectorAll("h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]"));
  function reading() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id && document.getElementById(id)) { return id; }
    var found = "";
    headings.forEach(function (h) { if (h.getBoundingClientRect().top <= 80) { found = h.id; } });
    return found;
  }
  Array.prototype.forEach.call(links, function (a) {
    var ids = (a.getAttribute("data-sections") || "").split(" ");
    var plain = a.getAttribute("href");
    function update() {
      var id = reading();
      a.setAttribute("href", id && ids.indexOf(id) >= 0 ? plain + "#" + encodeURIComponent(id) : plain);
    }
    a.addEventListener("click", update);
    a.addEventListener("focus", update);
    a.addEventListener("mouseenter", update);
  });
})();
