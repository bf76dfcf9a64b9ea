/* notegraph search: Material's header search box, answered by Pagefind.
 *
 * Material's search plugin stays in the configuration for its header search box, its
 * keyboard handling (/, s, f, arrows, Enter, Escape) and its overlay, but it indexes
 * nothing: its worker answers every query with no result. This script puts a second result
 * list (same Material classes) between Material's own "meta" line and list, which it
 * hides; Material keeps writing into those, by the references it took when it mounted.
 * Our results stay inside Material's result element, so its arrow keys and Enter (the
 * result with the highest data-md-score) work on them.
 *
 * Material's own worker and index are never loaded: the build points its worker at an empty
 * script and renames the search form it looks for (search.py, without_material_search), so
 * this script also highlights the searched words on the page a result opens (?h=).
 *
 * Ranking: Pagefind weighs a page's title as metadata (TITLE_WEIGHT); topic pages weigh
 * little (search.py), so notes come first for the same words, and among the first results
 * one titled exactly as the query goes first.
 *
 * Pagefind (site/pagefind/, written at build time) is loaded on the first search only and
 * fetches just the index chunks and fragments a query needs. Every URL is derived from the
 * site root (Material's `base`, resolved on the page that loaded this script), so the site
 * works from a sub-path and with or without directory URLs; a root on another origin is
 * never used. Titles and excerpts are set as
 * text; the only markup kept from an excerpt is Pagefind's <mark>.
 */
(function () {
  "use strict";

  var BATCH = 10;
  var DEBOUNCE_MS = 120;
  var TITLE_WEIGHT = 10; // Pagefind's metaWeights.title: a title match counts this much
  var RANKING = { metaWeights: { title: TITLE_WEIGHT } };

  var config = readConfig();
  /* The site root, resolved against the page that loaded this script (instant navigation
   * changes location later); Material's __md_scope is the same URL, when config is missing.
   * Never another origin: Pagefind's module is imported from there. */
  var base = new URL(".", window.__md_scope || location.href);
  if (typeof config.base === "string") {
    var configured = new URL(config.base, location.href);
    if (configured.origin === location.origin) base = configured;
  }
  var highlight =
    Array.isArray(config.features) && config.features.indexOf("search.highlight") !== -1;
  var loading = null;

  /* Material's configuration: the JSON of its <script id="__config" type="application/json">,
   * read from that exact element (a note's element can never have the id, see reserved.py,
   * and this does not trust the first element with it either); {} when there is none. */
  function readConfig() {
    var scripts = document.querySelectorAll('script[id="__config"]');
    for (var i = 0; i < scripts.length; i++) {
      if (scripts[i].type !== "application/json") continue;
      try {
        var parsed = JSON.parse(scripts[i].textContent);
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
      } catch (error) {
        /* not Material's: keep looking */
      }
    }
    return {};
  }

  /* Material's search overlay is a dialog without a name (axe: aria-dialog-name); it is in
   * the header, which instant navigation keeps, so naming it once is enough. */
  var dialog = document.querySelector(".md-search[role=dialog]");
  if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", translate("search.placeholder") || "Search");

  function translate(key, value) {
    var translations = config.translations;
    var text = translations && typeof translations[key] === "string" ? translations[key] : "";
    return value === undefined ? text : text.replace("#", String(value));
  }

  function pagefind() {
    if (loading === null) {
      var url = new URL("pagefind/pagefind.js", base);
      if (url.origin !== location.origin) return Promise.reject(new Error("another origin"));
      loading = import(url.href).then(function (module) {
        return module
          .options({ baseUrl: base.pathname, excerptLength: 24, ranking: RANKING })
          .then(function () {
            return module.init();
          })
          .then(function () {
            return mergeShards(module);
          })
          .then(function () {
            return module;
          });
      });
      loading.catch(function () {
        loading = null; // try again on the next keystroke
      });
    }
    return loading;
  }

  /* A big site is indexed in several runs (to bound the build's memory): the first
   * bundle is pagefind/, the others are listed in pagefind/shards.json and merged into
   * one search, one after the other. */
  function mergeShards(module) {
    return fetch(new URL("pagefind/shards.json", base).href)
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (shards) {
        return shards.reduce(function (done, path) {
          return done.then(function () {
            var bundle = new URL(path, base).pathname;
            return module.mergeIndex(bundle, { baseUrl: base.pathname, ranking: RANKING });
          });
        }, Promise.resolve());
      });
  }

  /* Pagefind's excerpt (text with < and > escaped, words wrapped in <mark>) as nodes: its
   * text, with <mark> kept and any other tag dropped. */
  function excerptNodes(html) {
    var template = document.createElement("template");
    template.innerHTML = html; // inert: nothing in a template loads or runs
    var out = document.createDocumentFragment();
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  /* A name as search compares it: case, accents' compatibility forms and punctuation
   * ignored (the same idea as names.fold in the build). */
  function fold(text) {
    return String(text || "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}]+/gu, " ")
      .trim();
  }

  /* The loaded results with those titled exactly as the query first, else in
   * Pagefind's order. */
  function exactFirst(datas, query) {
    var wanted = fold(query);
    var exact = datas.filter(function (data) {
      return fold(data.meta && data.meta.title) === wanted;
    });
    return exact.concat(
      datas.filter(function (data) {
        return exact.indexOf(data) === -1;
      }),
    );
  }

  function renderItem(data, score, query) {
    var url = new URL(data.url, base);
    if (highlight && query) url.searchParams.set("h", query);
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = url.href;
    link.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    article.setAttribute("data-md-score", score.toFixed(2));
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url; // Pagefind's raw text
    var excerpt = document.createElement("p");
    var summary = data.meta && data.meta.summary;
    if (summary) {
      excerpt.textContent = summary; // a topic or a video: its kind and counts say more
    } else {
      excerpt.appendChild(excerptNodes(data.excerpt || ""));
    }
    article.append(icon, title, excerpt);
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  function mount(root) {
    var result = root.querySelector("[data-md-component=search-result]");
    var input = root.querySelector(".md-search__input");
    if (!result || !input || result.hasAttribute("data-notegraph-search")) return;
    result.setAttribute("data-notegraph-search", "pagefind");

    var materialMeta = result.firstElementChild;
    var materialList = result.lastElementChild;
    var meta = document.createElement("div");
    meta.className = "md-search-result__meta";
    meta.textContent = translate("search.result.placeholder");
    var list = document.createElement("ol");
    list.className = "md-search-result__list";
    list.setAttribute("role", "list");
    result.insertBefore(list, materialList);
    result.insertBefore(meta, list);
    materialMeta.style.display = "none";
    materialList.style.display = "none";

    var current = null; // {query, results, shown}
    var generation = 0;
    var timer = 0;

    function showMore() {
      var run = current;
      if (!run || run.busy || run.shown >= run.results.length) return;
      run.busy = true;
      var slice = run.results.slice(run.shown, run.shown + BATCH);
      Promise.all(
        slice.map(function (hit) {
          return hit.data();
        }),
      ).then(function (datas) {
        if (run !== current) return;
        if (run.shown === 0) datas = exactFirst(datas, run.query);
        datas.forEach(function (data, i) {
          var rank = run.results.length - (run.shown + i);
          list.appendChild(renderItem(data, rank, run.query));
        });
        run.shown += slice.length;
        run.busy = false;
      });
    }

    function search(query) {
      var mine = ++generation;
      if (!query.trim()) {
        current = null;
        list.innerHTML = "";
        meta.textContent = translate("search.result.placeholder");
        return;
      }
      pagefind()
        .then(function (module) {
          return module.search(query);
        })
        .then(function (found) {
          if (mine !== generation || !found) return;
          var results = found.results || [];
          list.innerHTML = "";
          meta.textContent =
            results.length === 0
              ? translate("search.result.none")
              : results.length === 1
                ? translate("search.result.one")
                : translate("search.result.other", results.length);
          current = { query: query, results: results, shown: 0, busy: false };
          showMore();
        })
        .catch(function (error) {
          if (mine !== generation) return;
          meta.textContent = translate("search.result.none");
          if (window.console) console.error("notegraph search:", error);
        });
    }

    function schedule() {
      clearTimeout(timer);
      var query = input.value;
      timer = setTimeout(function () {
        search(query);
      }, DEBOUNCE_MS);
    }

    input.addEventListener("input", schedule);
    input.addEventListener("focus", function () {
      pagefind(); // start loading while the reader types
      if (input.value) schedule(); // a ?q= deep link, or a query kept from before
    });
    if (input.form) {
      input.form.addEventListener("reset", function () {
        setTimeout(function () {
          search("");
        });
      });
    }
    var scroller = result.closest(".md-search__scrollwrap");
    if (scroller) {
      scroller.addEventListener("scroll", function () {
        if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 100) {
          showMore();
        }
      });
    }
    if (input.value) schedule();
  }

  /* The searched words of ?h= marked on the page a result opened (what Material's own
   * search does with search.highlight, which needs its index). Text only: each match is
   * split out of its text node into a <mark>. */
  function highlightPage() {
    if (!highlight) return;
    var query = new URL(location.href).searchParams.get("h");
    var article = document.querySelector("article.md-content__inner");
    var words = (query || "").split(/\s+/).filter(function (word) {
      return word.length > 1;
    });
    if (!article || !words.length) return;
    var pattern = new RegExp(
      words
        .map(function (word) {
          return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("|"),
      "giu",
    );
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        return parent && !parent.closest("script, style, mark, .ng-local-graph")
          ? NodeFilter.FILTER_ACCEPT
          : NodeFilter.FILTER_REJECT;
      },
    });
    var texts = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node);
    texts.forEach(function (text) {
      var value = text.nodeValue;
      pattern.lastIndex = 0;
      if (!pattern.test(value)) return;
      var out = document.createDocumentFragment();
      var last = 0;
      value.replace(pattern, function (match, offset) {
        out.appendChild(document.createTextNode(value.slice(last, offset)));
        var mark = document.createElement("mark");
        mark.setAttribute("data-md-highlight", "");
        mark.textContent = match;
        out.appendChild(mark);
        last = offset + match.length;
        return match;
      });
      out.appendChild(document.createTextNode(value.slice(last)));
      text.parentNode.replaceChild(out, text);
    });
  }

  function start() {
    var search = document.querySelector("[data-md-component=search]");
    if (search) mount(search);
    highlightPage();
  }

  /* The header survives instant navigation; mount() runs once per search box. */
  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
