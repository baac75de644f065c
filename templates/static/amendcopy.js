// 新旧対照表: what a copy of the table puts on the clipboard. The text as printed, with the
// changed passages underlined (<u>, which Word and mail keep) and without the labels written
// for screen readers (追加：… （追加ここまで）) or the change tags; cells keep their table.
(function () {
  "use strict";
  var table = document.querySelector("table.amend");
  if (!table) { return; }
  function clean(fragment) {
    var drop = fragment.querySelectorAll("[data-diff-label], .sr-only, [aria-hidden='true'], caption");
    for (var i = 0; i < drop.length; i++) { drop[i].remove(); }
    var marks = fragment.querySelectorAll("ins, del");
    for (var j = 0; j < marks.length; j++) {
      var u = document.createElement("u");
      while (marks[j].firstChild) { u.appendChild(marks[j].firstChild); }
      marks[j].replaceWith(u);
    }
    return fragment;
  }
  function text(node) {
    // Rows on lines, cells separated by tabs, paragraphs inside a cell by spaces.
    if (node.nodeType === 3) { return node.nodeValue.replace(/\s+/g, " "); }
    if (node.nodeType !== 1 && node.nodeType !== 11) { return ""; }
    var parts = [];
    for (var c = node.firstChild; c; c = c.nextSibling) { parts.push(text(c)); }
    var name = node.nodeName;
    if (name === "TR") {
      var cells = [];
      for (var k = node.firstChild; k; k = k.nextSibling) {
        if (k.nodeName === "TD" || k.nodeName === "TH") { cells.push(text(k).trim()); }
      }
      return cells.join("\t") + "\n";
    }
    var joined = parts.join("");
    if (name === "P" || name === "DIV" || name === "LI" || /^H[1-6]$/.test(name)) {
      return " " + joined + " ";
    }
    return joined;
  }
  document.addEventListener("copy", function (event) {
    var selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || !event.clipboardData) { return; }
    var range = selection.getRangeAt(0);
    if (!table.contains(range.commonAncestorContainer) &&
        !range.intersectsNode(table)) { return; }
    var holder = document.createElement("div");
    holder.appendChild(clean(range.cloneContents()));
    var plain = text(holder).replace(/[ \u00a0]+\n/g, "\n").replace(/\n[ ]+/g, "\n")
      .replace(/ +\t/g, "\t").replace(/\t +/g, "\t").trim() + "\n";
    event.clipboardData.setData("text/plain", plain);
    event.clipboardData.setData("text/html", holder.innerHTML);
    event.preventDefault();
  });
})();
