// The language switch keeps the section: the address's #anchor goes with the link to the
// same page in another language (a translation that keeps the section's id lands there;
// one that does not lands at the top, as the browser does for an unknown anchor).
(function () {
  "use strict";
  var links = document.querySelectorAll(".language-switch a[data-keep-section]");
  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", function () {
      if (location.hash && link.href.indexOf("#") < 0) { link.href = link.href + location.hash; }
    });
  });
})();
