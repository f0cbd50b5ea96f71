/* The figure gallery's filters: kind of data, notebook, and a search over captions and alt text.
 *
 * Plain JavaScript, no library and no network: the site works offline and from a file share.
 * The cards are <article class="cx-card" data-kind="synthetic real" data-notebook="01_x"
 * data-search="..."> in #cx-gallery (written by cxresearch.report.site.gallery_markdown).
 * The filter lives in the address, so a link or a screenshot can show a filtered view:
 *   gallery.html?kind=real&notebook=01_measuring_cx&search=nps   (or the same after '#')
 * (not 'q': Sphinx's searchtools.js would run a site search on any page given ?q=)
 * Without JavaScript the controls stay hidden and every card shows.
 */
(function () {
  "use strict";

  var KEYS = ["kind", "notebook", "search"];

  function init() {
    var grid = document.getElementById("cx-gallery");
    var form = document.getElementById("cx-gallery-controls");
    if (!grid || !form) {
      return;
    }
    var cards = Array.prototype.slice.call(grid.querySelectorAll(".cx-card"));
    var kindButtons = Array.prototype.slice.call(form.querySelectorAll("button[data-kind]"));
    var notebook = document.getElementById("cx-filter-notebook");
    var search = document.getElementById("cx-filter-search");
    var status = document.getElementById("cx-gallery-status");
    var empty = document.getElementById("cx-gallery-empty");
    var kinds = kindButtons.map(function (b) { return b.getAttribute("data-kind"); });
    var notebooks = Array.prototype.map.call(notebook.options, function (o) { return o.value; });
    var state = { kind: "", notebook: "", search: "" };

    function fromAddress() {
      var params = new URLSearchParams(window.location.search);
      var hash = window.location.hash.replace(/^#/, "");
      if (hash.indexOf("=") >= 0) {
        new URLSearchParams(hash).forEach(function (value, key) { params.set(key, value); });
      }
      var kind = (params.get("kind") || "").toLowerCase();
      var nb = params.get("notebook") || params.get("nb") || "";
      state.kind = kinds.indexOf(kind) >= 0 ? kind : "";
      state.notebook = notebooks.indexOf(nb) >= 0 ? nb : "";
      state.search = params.get("search") || "";
    }

    function toAddress() {
      var params = new URLSearchParams();
      KEYS.forEach(function (key) {
        if (state[key]) {
          params.set(key, state[key]);
        }
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "");
      try {
        window.history.replaceState(null, "", url);
      } catch (err) {
        // some browsers refuse to change the query of a file:// page: keep it after '#'
        window.location.replace("#" + query);
      }
    }

    function show() {
      var words = state.search.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      cards.forEach(function (card) {
        var cardKinds = (card.getAttribute("data-kind") || "").split(" ");
        var text = card.getAttribute("data-search") || "";
        var ok = (!state.kind || cardKinds.indexOf(state.kind) >= 0) &&
          (!state.notebook || card.getAttribute("data-notebook") === state.notebook) &&
          words.every(function (w) { return text.indexOf(w) >= 0; });
        card.hidden = !ok;
        shown += ok ? 1 : 0;
      });
      kindButtons.forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-kind") === state.kind));
      });
      notebook.value = state.notebook;
      if (search.value !== state.search) {
        search.value = state.search;
      }
      var what = [];
      if (state.kind) { what.push(state.kind + " data"); }
      if (state.notebook) { what.push("notebook " + state.notebook); }
      if (state.search) { what.push("matching \u201c" + state.search + "\u201d"); }
      status.textContent = (what.length ? shown + " of " + cards.length + " figures: " +
        what.join(", ") : cards.length + " figures") + ".";
      grid.setAttribute("data-shown", String(shown));
      empty.hidden = shown > 0;
    }

    function update() {
      toAddress();
      show();
    }

    kindButtons.forEach(function (b) {
      b.addEventListener("click", function () {
        state.kind = b.getAttribute("data-kind");
        update();
      });
    });
    notebook.addEventListener("change", function () {
      state.notebook = notebook.value;
      update();
    });
    search.addEventListener("input", function () {
      state.search = search.value;
      update();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      state = { kind: "", notebook: "", search: "" };
      update();
    });
    window.addEventListener("hashchange", function () {
      fromAddress();
      show();
    });
    window.addEventListener("popstate", function () {
      fromAddress();
      show();
    });

    form.hidden = false;
    fromAddress();
    show();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
