/* notegraph: math and diagrams, drawn by the site's own KaTeX and Mermaid.
 *
 * Arithmatex writes math as <span class="arithmatex">\(x\)</span> (inline) and
 * <div class="arithmatex">\[x\]</div> (display); the Mermaid fence writes
 * <div class="ng-mermaid">graph TD ...</div>. This script is on every page, but the libraries
 * (vendored under assets/notegraph/vendor/, served by the site itself) are loaded only when
 * a page has math or a diagram, once per visit. Mermaid draws with securityLevel "strict"
 * (labels are text, no click handlers) and in the palette the reader has chosen; a diagram
 * that does not parse stays as its source. Material's instant navigation swaps pages without
 * reloading: draw() runs on every document$ emission.
 */
(function () {
  "use strict";

  var SCRIPT = document.currentScript;
  var ROOT = new URL("../../", SCRIPT ? SCRIPT.src : location.href);
  var KATEX_JS = "assets/notegraph/vendor/katex/katex.min.js";
  var KATEX_CSS = "assets/notegraph/vendor/katex/katex.min.css";
  var MERMAID_JS = "assets/notegraph/vendor/mermaid/mermaid.min.js";
  var loading = {};
  var diagrams = 0;

  function load(path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve, reject) {
        var css = /\.css$/.test(path);
        var node = document.createElement(css ? "link" : "script");
        if (css) { node.rel = "stylesheet"; node.href = new URL(path, ROOT).href; }
        else { node.src = new URL(path, ROOT).href; }
        node.onload = function () { resolve(); };
        node.onerror = function () { delete loading[path]; reject(new Error(path)); };
        document.head.appendChild(node);
      });
    }
    return loading[path];
  }

  /* \(x\) or \[x\] (Arithmatex's generic output) -> x */
  function tex(node) {
    var text = node.textContent.trim();
    var open = text.slice(0, 2), close = text.slice(-2);
    if ((open === "\\(" && close === "\\)") || (open === "\\[" && close === "\\]")) {
      text = text.slice(2, -2);
    }
    return text;
  }

  function drawMath(nodes) {
    return Promise.all([load(KATEX_CSS), load(KATEX_JS)]).then(function () {
      nodes.forEach(function (node) {
        var source = tex(node);
        try {
          window.katex.render(source, node, {
            displayMode: node.tagName === "DIV", throwOnError: false, trust: false,
          });
          node.setAttribute("data-ng-drawn", "");
          node.setAttribute("aria-label", source);
        } catch (error) { /* left as written */ }
      });
    });
  }

  function dark() {
    return (document.body.getAttribute("data-md-color-scheme") || "") === "slate";
  }

  /* Mermaid fits a diagram to the column: on a phone, its labels would be a few pixels high.
   * It keeps at least its own width up to WIDEST pixels; the box scrolls sideways instead. */
  var WIDEST = 560;
  function readable(svg) {
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
    var width = svg.viewBox.baseVal.width;
    if (width > 0) svg.style.minWidth = Math.round(Math.min(width, WIDEST)) + "px";
  }

  function drawDiagrams(nodes) {
    return load(MERMAID_JS).then(function () {
      var mermaid = window.mermaid;
      mermaid.initialize({
        startOnLoad: false, securityLevel: "strict", theme: dark() ? "dark" : "default",
      });
      return nodes.reduce(function (done, node) {
        return done.then(function () {
          var source = node.getAttribute("data-ng-source");
          if (source === null) {
            source = node.textContent;
            node.setAttribute("data-ng-source", source);
          }
          diagrams += 1;
          var id = "ng-mermaid-" + diagrams;
          return mermaid.render(id, source).then(function (out) {
            node.innerHTML = out.svg;
            readable(node.querySelector("svg"));
            node.setAttribute("data-ng-drawn", "");
          }, function () {
            node.textContent = source;  /* not a diagram Mermaid can read: its source */
            node.setAttribute("data-ng-failed", "");
            var stray = document.getElementById(["d", id].join(""));  /* Mermaid's error box */
            if (stray) stray.remove();
          });
        });
      }, Promise.resolve());
    });
  }

  function draw() {
    var math = Array.prototype.slice.call(
      document.querySelectorAll(".md-content .arithmatex:not([data-ng-drawn])"));
    var charts = Array.prototype.slice.call(
      document.querySelectorAll(".md-content .ng-mermaid:not([data-ng-drawn])"));
    if (math.length) drawMath(math).catch(function () {});
    if (charts.length) drawDiagrams(charts).catch(function () {});
  }

  /* The reader switches the palette: diagrams are drawn again in its colours. */
  function redrawOnPalette() {
    new MutationObserver(function () {
      var drawn = document.querySelectorAll(".ng-mermaid[data-ng-source]");
      if (!drawn.length) return;
      drawn.forEach(function (node) { node.removeAttribute("data-ng-drawn"); });
      drawDiagrams(Array.prototype.slice.call(drawn)).catch(function () {});
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  function start() {
    redrawOnPalette();
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(draw);
    } else {
      draw();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
