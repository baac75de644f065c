// The language switch keeps the section: the address's #anchor goes with the link to the
// same page in another language, as the id the section has there (data-sections maps the
// ids that differ). A section the other page lacks lands at its top, as the browser does
// for an unknown anchor.
(function () {
  "use strict";
  var links = document.querySelectorAll(".language-switch a[data-keep-section]");
  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", function () {
      if (!location.hash) { return; }
      var id = location.hash.slice(1);
      try { id = decodeURIComponent(id); } catch (e) { /* not percent-encoded */ }
      var sections = JSON.parse(link.getAttribute("data-sections") || "{}");
      var target = Object.prototype.hasOwnProperty.call(sections, id) ? sections[id] : id;
      link.href = link.href.split("#")[0] + "#" + encodeURIComponent(target);
    });
  });
})();
