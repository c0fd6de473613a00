/* Search across every guideline and every release (partials/lb-search.html).
 *
 * The header's button, or "/", opens a dialog over Pagefind's index at <site root>/search/
 * (written by `labelbook build`). Pagefind's script, its WebAssembly and the index chunks
 * holding the words searched are fetched only when the dialog first opens, so a page
 * costs nothing until then. The search starts on the page's own guideline and version
 * (the working copy is "current") and one click widens it to everything. Every text of a
 * result is set as text; Pagefind's excerpt keeps only its <mark> highlights. */
(function () {
  "use strict";
  var opener = document.querySelector(".lb-search-open");
  var dialog = document.getElementById("lb-search");
  if (!opener || !dialog || typeof dialog.showModal !== "function") return;

  var PAGE = 10;  // results rendered at a time (each costs a fragment fetch)
  var root = new URL(opener.getAttribute("data-lb-root"), location.href);
  var input = dialog.querySelector(".lb-search__input");
  var guideline = dialog.querySelector("select[name=guideline]");
  var version = dialog.querySelector("select[name=version]");
  var status = dialog.querySelector(".lb-search__status");
  var list = dialog.querySelector(".lb-search__results");
  var more = dialog.querySelector(".lb-search__more");
  var pagefind = null;  // the Pagefind module, once loaded
  var loading = null;
  var allVersions = {};  // version -> pages, of every guideline
  var releases = [];  // "<guideline> @ <version>" of every page
  var results = [];
  var shown = 0;
  var run = 0;  // the latest search; an older one that ends later is dropped
  var timer = 0;

  opener.hidden = false;
  opener.addEventListener("click", open);
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !dialog.open && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      event.stopPropagation();  // Material's own "/" would toggle its absent search
      open();
    }
  }, true);
  dialog.querySelector(".lb-search__close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();  // a click on the backdrop
  });
  input.addEventListener("input", function () {
    busy(true);
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  guideline.addEventListener("change", function () { updateVersions(); search(); });
  version.addEventListener("change", search);
  dialog.querySelector(".lb-search__widen").addEventListener("click", function () {
    guideline.value = "";
    updateVersions("");
    search();
    input.focus();
  });
  more.addEventListener("click", function () { showMore(true); });

  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    load();
  }

  function load() {
    if (!loading) {
      status.textContent = "Loading the search index…";
      loading = import(new URL("search/pagefind.js", root).href).then(function (module) {
        pagefind = module;
        return pagefind.options({ baseUrl: root.pathname, excerptLength: 24 });
      }).then(function () {
        return pagefind.filters();
      }).then(function (filters) {
        allVersions = filters.version || {};
        releases = Object.keys(filters.release || {});
        fill(guideline, filters.guideline || {}, dialog.getAttribute("data-lb-guideline"));
        updateVersions(dialog.getAttribute("data-lb-version"));
        status.textContent = "";
        search();
      }, function () {
        loading = null;  // try again on the next opening
        status.textContent = "The search index is missing: `labelbook build` and `labelbook serve` write it into search/.";
      });
    }
    return loading;
  }

  /* The versions of the chosen guideline (of all, when none is chosen): the working copy
   * ("current") first, then releases newest first. A page's "release" filter is
   * "<guideline> @ <version>" (partials/lb-search-fields.html): reading those values costs
   * one small file, where asking Pagefind for every page of a guideline would fetch the
   * whole index. */
  function updateVersions(wanted) {
    var keep = wanted === undefined ? version.value : wanted;
    var counts = {};
    if (!guideline.value) {
      counts = allVersions;
    } else {
      var prefix = guideline.value + " @ ";
      releases.forEach(function (value) {
        var rest = value.slice(prefix.length);
        if (value.indexOf(prefix) === 0 && rest && rest.indexOf(" @ ") < 0) counts[rest] = 1;
      });
    }
    fill(version, counts, keep);
  }

  function fill(select, counts, wanted) {
    var values = Object.keys(counts).sort(byVersion);
    while (select.options.length > 1) select.remove(1);
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    });
    select.value = values.indexOf(wanted) >= 0 ? wanted : "";
  }

  function byVersion(a, b) {
    if (a === "current" || b === "current") return a === "current" ? (b === "current" ? 0 : -1) : 1;
    var x = a.split(/[.+-]/), y = b.split(/[.+-]/);
    for (var i = 0; i < Math.max(x.length, y.length); i++) {
      var p = x[i] || "", q = y[i] || "";
      var m = /^\d+$/.test(p) && /^\d+$/.test(q) ? Number(q) - Number(p) : q.localeCompare(p);
      if (m) return m;
    }
    return a.localeCompare(b);
  }

  function scope() {
    var where = guideline.value ? guideline.selectedOptions[0].textContent : "all guidelines";
    var which = version.value ? (version.value === "current" ? "the current version" : "version " + version.value)
                              : "all versions";
    return where + ", " + which;
  }

  function search() {
    if (!pagefind) return;
    var term = input.value.trim();
    var mine = ++run;
    busy(true);
    list.textContent = "";
    more.hidden = true;
    if (!term) {
      status.textContent = "Searching " + scope() + ".";
      busy(false);
      return;
    }
    var filters = {};
    if (guideline.value) filters.guideline = guideline.value;
    if (version.value) filters.version = version.value;
    pagefind.search(term, { filters: filters }).then(function (found) {
      if (mine !== run) return;
      results = (found && found.results) || [];
      shown = 0;
      var count = results.length;
      status.textContent = (count ? count + (count === 1 ? " page" : " pages") : "Nothing") +
        " found for “" + term + "” in " + scope() + "." +
        (!count && (guideline.value || version.value) ? " Try “Search everything”." : "");
      return showMore(false);
    }).then(function () {
      if (mine === run) busy(false);
    });
  }

  /* The results list is busy from a change of the query or the scope until the new
   * results are shown (assistive technology waits for it; so do the tests). */
  function busy(on) {
    list.setAttribute("aria-busy", on ? "true" : "false");
  }

  function showMore(focusFirst) {
    var mine = run;
    var batch = results.slice(shown, shown + PAGE);
    var start = shown;
    shown += batch.length;
    more.hidden = shown >= results.length;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      if (mine !== run) return;
      pages.forEach(function (page) { list.appendChild(render(page)); });
      if (focusFirst && list.children[start]) list.children[start].querySelector("a").focus();
    });
  }

  function render(page) {
    var meta = page.meta || {};
    var item = document.createElement("li");
    item.className = "lb-search__result";
    var link = document.createElement("a");
    link.className = "lb-search__link";
    link.href = page.url;
    link.textContent = meta.title || page.url;
    item.appendChild(link);
    if (meta.guideline || meta.version) {
      var where = document.createElement("p");
      where.className = "lb-search__where";
      where.textContent = [meta.guideline, meta.version].filter(Boolean).join(" · ");
      item.appendChild(where);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "lb-search__excerpt";
    marked(page.excerpt || "", excerpt);
    item.appendChild(excerpt);
    return item;
  }

  /* Pagefind's excerpt is HTML: keep its text and its <mark> elements, nothing else. */
  function marked(html, into) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body;
    (function copy(node) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === Node.TEXT_NODE) {
          into.appendChild(document.createTextNode(child.textContent));
        } else if (child.nodeName === "MARK") {
          var mark = document.createElement("mark");
          mark.textContent = child.textContent;
          into.appendChild(mark);
        } else {
          copy(child);
        }
      });
    })(parsed);
  }
})();
