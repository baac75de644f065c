// The search page: finds the versions whose text contains the query as a phrase.
// The index (search/<slug>.json, made by policy_archive/search.py) holds each distinct
// block of text once and, per version, the numbers of its blocks. Matching folds case,
// full-width and half-width forms (NFKC, one character at a time) and runs of white space,
// and keeps a map back to the original text so excerpts show the text as published.
// The texts are blocks as a reader sees them (policy_archive/text/reader.py: ruby words as
// printed, a line break as a space); `log -S` folds with the same rules there (fold, count).
// Without JavaScript the form stays hidden and the page links each document's archive.
(function () {
  "use strict";
  var form = document.querySelector("form[data-search]");
  if (!form || !window.fetch) { return; }
  var root = form.getAttribute("data-root");
  var sources = JSON.parse(form.getAttribute("data-indexes"));
  var words = JSON.parse(form.getAttribute("data-strings"));
  var statusLine = document.querySelector("[data-search-status]");
  var results = document.querySelector("[data-search-results]");
  var EXCERPTS = 3, CONTEXT = 40;
  var loaded = null;

  function say(key, values) {
    return words[key].replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }
  function count(key, n) { return say(key + (n === 1 ? "_one" : "_many"), { count: n }); }

  // Folded text and, for each folded code unit, where its character starts and ends.
  function fold(text) {
    var out = "", starts = [], ends = [], space = true;
    for (var i = 0; i < text.length;) {
      var ch = String.fromCodePoint(text.codePointAt(i)), at = i;
      i += ch.length;
      if (/\s/.test(ch)) {
        if (!space) { out += " "; starts.push(at); ends.push(i); }
        space = true;
        continue;
      }
      space = false;
      var f = ch.normalize("NFKC").toLowerCase();
      for (var k = 0; k < f.length; k++) { starts.push(at); ends.push(i); }
      out += f;
    }
    return { text: out, starts: starts, ends: ends };
  }

  function load() {
    if (!loaded) {
      loaded = Promise.all(sources.map(function (source) {
        return fetch(root + source[2]).then(function (response) {
          if (!response.ok) { throw new Error(source[2] + ": " + response.status); }
          return response.json();
        }).then(function (index) {
          index.folded = index.texts.map(fold);
          return index;
        });
      }));
    }
    return loaded;
  }

  // The query as a pattern: its words in order, where the text may have a space or none
  // between them (「LINE アカウント」 finds 「LINEアカウント」).
  function pattern(query) {
    var parts = query.split(" ").map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return new RegExp(parts.join(" ?"), "g");
  }

  // Where the query occurs in each block: block number -> [[start, length], ...] in folded text.
  function hits(index, query) {
    var found = {}, re = pattern(query);
    index.folded.forEach(function (f, n) {
      var list = [], m;
      re.lastIndex = 0;
      while ((m = re.exec(f.text)) !== null) { list.push([m.index, m[0].length]); }
      if (list.length) { found[n] = list; }
    });
    return found;
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function excerpt(index, n, at, length) {
    // at, length: the match in the block's folded text
    var f = index.folded[n], original = index.texts[n];
    var start = f.starts[at], end = f.ends[at + length - 1];
    var from = Math.max(0, start - CONTEXT), to = Math.min(original.length, end + CONTEXT);
    var p = element("p", "search-excerpt"), mark = element("mark");
    if (from > 0) { p.appendChild(document.createTextNode("…")); }
    appendWords(p, index, n, from, start);
    appendWords(mark, index, n, start, end);
    p.appendChild(mark);
    appendWords(p, index, n, end, to);
    if (to < original.length) { p.appendChild(document.createTextNode("…")); }
    return p;
  }

  // Block n's text from `from` to `to` into parent, a ruby word that stands whole inside it
  // with its reading above it, as the page shows it (index.ruby: [start, end, reading]).
  function appendWords(parent, index, n, from, to) {
    var text = index.texts[n], at = from;
    ((index.ruby && index.ruby[n]) || []).forEach(function (r) {
      if (r[0] < at || r[1] > to) { return; }
      if (r[0] > at) { parent.appendChild(document.createTextNode(text.slice(at, r[0]))); }
      var ruby = element("ruby", "", text.slice(r[0], r[1]));
      ruby.appendChild(element("rt", "", r[2]));
      parent.appendChild(ruby);
      at = r[1];
    });
    if (to > at) { parent.appendChild(document.createTextNode(text.slice(at, to))); }
  }

  function versionItem(index, version, found) {
    var li = element("li", "search-version");
    var h3 = element("h3");
    var a = element("a", "", version.label);
    a.href = root + version.url;
    h3.appendChild(a);
    h3.appendChild(element("span", "status status-" + version.status, words["status_" + version.status]));
    li.appendChild(h3);
    var total = 0, shown = 0, list = element("ul", "search-excerpts");
    version.blocks.forEach(function (block) {
      var n = block[0], at = found[n];
      if (!at) { return; }
      total += at.length;
      if (shown >= EXCERPTS) { return; }
      shown += 1;
      var item = element("li"), section = index.sections[block[1]];
      if (section[1]) {
        var where = element("a", "search-section", section[1]);
        where.href = root + version.url + (section[0] ? "#" + section[0] : "");
        item.appendChild(where);
      }
      item.appendChild(excerpt(index, n, at[0][0], at[0][1]));
      list.appendChild(item);
    });
    var meta = element("p", "search-meta", words.period + " " + version.period + " · " +
                       count("search_matches", total));
    li.appendChild(meta);
    li.appendChild(list);
    if (total > shown) {
      var more = element("p", "search-more");
      var all = element("a", "", say("search_more", { count: total - shown }));
      all.href = root + version.url;
      more.appendChild(all);
      li.appendChild(more);
    }
    return li;
  }

  function show(indexes, raw, doc, status) {
    var query = fold(raw).text.trim();
    results.textContent = "";
    if (!query) { statusLine.textContent = words.search_empty; return; }
    var versions = 0, documents = 0;
    indexes.forEach(function (index) {
      if (doc && index.slug !== doc) { return; }
      var found = hits(index, query);
      var matching = index.versions.filter(function (v) {
        return (!status || v.status === status) &&
          v.blocks.some(function (b) { return found[b[0]]; });
      });
      if (!matching.length) { return; }
      documents += 1;
      versions += matching.length;
      var section = element("section", "search-document");
      var h2 = element("h2", "", index.title);
      section.appendChild(h2);
      var ol = element("ol", "search-versions");
      matching.forEach(function (v) { ol.appendChild(versionItem(index, v, found)); });
      section.appendChild(ol);
      results.appendChild(section);
    });
    var shownQuery = raw.trim();
    statusLine.textContent = versions ?
      say("search_found", { query: shownQuery, versions: count("search_versions", versions),
                            documents: count("search_documents", documents) }) :
      say("search_none", { query: shownQuery });
  }

  function run(push) {
    var q = form.elements.q.value;
    var doc = form.elements.doc ? form.elements.doc.value : "";
    var status = form.elements.status.value;
    if (push) {
      var params = new URLSearchParams();
      if (q) { params.set("q", q); }
      if (doc) { params.set("doc", doc); }
      if (status) { params.set("status", status); }
      var search = params.toString();
      history.replaceState(null, "", search ? "?" + search : location.pathname);
    }
    if (!q.trim()) { results.textContent = ""; statusLine.textContent = words.search_empty; return; }
    statusLine.textContent = words.search_loading;
    load().then(function (indexes) { show(indexes, q, doc, status); }, function () {
      loaded = null;
      statusLine.textContent = words.search_failed;
    });
  }

  document.querySelectorAll("[data-search-fallback]").forEach(function (node) { node.hidden = true; });
  form.hidden = false;
  var params = new URLSearchParams(location.search);
  form.elements.q.value = params.get("q") || "";
  if (form.elements.doc) { form.elements.doc.value = params.get("doc") || ""; }
  form.elements.status.value = params.get("status") || "";
  form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
  Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
    select.addEventListener("change", function () { if (form.elements.q.value.trim()) { run(true); } });
  });
  if (form.elements.q.value.trim()) { run(false); }
})();
