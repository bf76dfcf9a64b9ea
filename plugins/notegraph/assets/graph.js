/* notegraph: the global graph page and the local graph of every page.
 *
 * Data comes from the build (graph/view.json for the global graph, a file named by the
 * data-ng-local-src attribute for a local graph); positions are precomputed, so vis-network
 * runs with physics off. vis-network is vendored and loaded from this site only when a page
 * shows a graph: a local graph loads it (and its data) when the reader scrolls near it.
 * Every title, tag and path from the data is set with textContent, never as HTML.
 * Material's instant navigation swaps pages without reloading: init() runs on every
 * document$ emission and tears down what the previous page drew.
 */
(function () {
  "use strict";

  var SCRIPT = document.currentScript;
  var ROOT = new URL("../../", SCRIPT ? SCRIPT.src : location.href);
  var VIS = "assets/notegraph/vendor/vis-network/vis-network.min.js";
  var DATA = "graph/view.json"; // a container may name another file in data-ng-graph
  var SHAPES = { note: "dot", topic: "diamond", video: "triangle", channel: "star" };
  var visLoading = null;
  var active = [];
  var api = (window.notegraph = { network: null, local: null, ready: false });

  function loadVis() {
    if (window.vis && window.vis.Network) return Promise.resolve(window.vis);
    if (!visLoading) {
      visLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL(VIS, ROOT).href;
        script.onload = function () { resolve(window.vis); };
        script.onerror = function () { visLoading = null; reject(new Error("vis-network")); };
        document.head.appendChild(script);
      });
    }
    return visLoading;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function siteUrl(path) {
    return new URL(path, ROOT).href;
  }

  function go(path) {
    // A real link click, so that Material's instant navigation (when on) handles it like any
    // other link; without it, the browser follows the link.
    var link = document.createElement("a");
    link.href = new URL(path, ROOT).href;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function shorten(title, chars) {
    return title.length <= chars ? title : title.slice(0, chars - 1).trimEnd() + "…";
  }

  function clock(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)) + ":" + String(s).padStart(2, "0");
    return h ? h + ":" + mm : mm;
  }

  /* --- colours: CSS variables per palette, overridden by configured colours ------------ */

  /* Configured kind colours become the container's CSS variables, so that the legend's
   * swatches (styled from those variables) show them too; they hold in both palettes. */
  function applyKindColors(container, data) {
    Object.keys(SHAPES).forEach(function (kind) {
      var color = data.colors && data.colors[kind];
      if (color) container.style.setProperty("--ng-graph-" + kind, color);
    });
  }

  function palette(container, data) {
    var style = getComputedStyle(container);
    function v(name, fallback) { return style.getPropertyValue(name).trim() || fallback; }
    var colors = {};
    ["note", "topic", "video", "channel"].forEach(function (kind) {
      colors[kind] = (data.colors && data.colors[kind]) || v("--ng-graph-" + kind, "#888");
    });
    return {
      kinds: colors,
      label: v("--ng-graph-label", "#222"),
      halo: v("--ng-graph-halo", "#fff"),
      edge: v("--ng-graph-edge", "rgba(0,0,0,.2)"),
      highlight: v("--ng-graph-highlight", "#f50057"),
      border: v("--ng-graph-border", "rgba(0,0,0,.35)"),
    };
  }

  function nodeColor(color, colors) {
    return {
      background: color, border: colors.border,
      highlight: { background: color, border: colors.highlight },
      hover: { background: color, border: colors.highlight },
    };
  }

  function groups(colors) {
    var out = {};
    Object.keys(SHAPES).forEach(function (kind) {
      out[kind] = { shape: SHAPES[kind], color: nodeColor(colors.kinds[kind], colors) };
    });
    return out;
  }

  function styleOptions(colors) {
    return {
      groups: groups(colors),
      nodes: { font: { color: colors.label, strokeWidth: 3, strokeColor: colors.halo } },
      edges: { color: { color: colors.edge, highlight: colors.highlight, hover: colors.highlight } },
    };
  }

  function folderColor(folderColors, folder) {
    var best = null, length = -1;
    Object.keys(folderColors || {}).forEach(function (key) {
      var k = key.replace(/\/+$/, "");
      if ((folder === k || folder.indexOf(k + "/") === 0) && k.length > length) {
        best = folderColors[key];
        length = k.length;
      }
    });
    return best;
  }

  /* --- pieces shared by both graphs ---------------------------------------------------- */

  function adjacency(n, flat) {
    var lists = [];
    for (var i = 0; i < n; i++) lists.push([]);
    for (var e = 0; e < flat.length; e += 2) {
      lists[flat[e]].push(e / 2);
      lists[flat[e + 1]].push(e / 2);
    }
    return lists;
  }

  function Tooltip(container) {
    var tip = el("div", "ng-graph-tip");
    tip.hidden = true;
    container.appendChild(tip);
    return {
      show: function (text, pointer) {
        tip.textContent = text;
        tip.hidden = false;
        var x = Math.min(pointer.x + 12, container.clientWidth - tip.offsetWidth - 4);
        tip.style.left = Math.max(4, x) + "px";
        tip.style.top = Math.max(4, pointer.y + 12) + "px";
      },
      hide: function () { tip.hidden = true; },
    };
  }

  /* The moments of an edge: play links into the video they cite (the linking note's, which
   * the build names per edge in momentVideo), or bare times for a self-hosted video. */
  function momentsPanel(panel, data, edge) {
    var a = data.edges[2 * edge], b = data.edges[2 * edge + 1];
    var video = (data.momentVideo || {})[edge];
    var seconds = (data.moments || {})[edge] || [];
    panel.textContent = "";
    panel.appendChild(el("span", "ng-graph-edge-name",
      data.nodes.title[a] + " → " + data.nodes.title[b]));
    seconds.forEach(function (s) {
      var item = video ? el("a", "ng-graph-moment", "▶ " + clock(s)) : el("span", "ng-graph-moment", clock(s));
      if (video) {
        item.href = "https://www.youtube.com/watch?v=" + encodeURIComponent(video) + "&t=" + s + "s";
        item.target = "_blank";
        item.rel = "noopener";
      }
      panel.appendChild(item);
    });
    panel.hidden = false;
  }

  function edgeText(data, edge) {
    var a = data.edges[2 * edge], b = data.edges[2 * edge + 1];
    var seconds = (data.moments || {})[edge] || [];
    var text = data.nodes.title[a] + " → " + data.nodes.title[b];
    return seconds.length ? text + " · " + seconds.map(clock).join(", ") : text;
  }

  function watchPalette(apply) {
    var observer = new MutationObserver(apply);
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    return observer;
  }

  /* --- the global graph ---------------------------------------------------------------- */

  function initGlobal(container) {
    var state = { destroyed: false, network: null, observer: null };
    var src = container.getAttribute("data-ng-graph") || DATA;
    var started = performance.now();
    Promise.all([fetch(siteUrl(src)).then(function (r) { return r.json(); }), loadVis()])
      .then(function (loaded) { if (!state.destroyed) drawGlobal(container, loaded[0], loaded[1], state, started); })
      .catch(function (error) {
        container.setAttribute("data-ng-error", String(error));
      });
    return function () {
      state.destroyed = true;
      if (state.observer) state.observer.disconnect();
      if (state.network) state.network.destroy();
      if (api.network === state.network) api.network = null;
    };
  }

  function drawGlobal(container, data, vis, state, started) {
    api.timings = { loaded: performance.now() - started };
    var N = data.nodes, n = N.title.length, kinds = data.kinds;
    var links = adjacency(n, data.edges);
    applyKindColors(container, data);
    var colors = palette(container, data);
    var custom = [];
    for (var i = 0; i < n; i++) custom.push(folderColor(data.folderColors, data.folders[N.folder[i]]));

    container.classList.add("ng-graph--ready");
    var bar = el("div", "ng-graph-bar");
    var canvas = el("div", "ng-graph-canvas");
    var panel = el("div", "ng-graph-panel");
    panel.hidden = true;
    var status = el("p", "ng-graph-status");
    container.appendChild(bar);
    container.appendChild(canvas);
    container.appendChild(panel);
    container.appendChild(status);
    var tip = Tooltip(canvas);

    var items = [];
    var labelled = new Uint8Array(n);
    data.labelled.forEach(function (k) { labelled[k] = 1; });
    for (i = 0; i < n; i++) {
      var item = { id: i, x: N.x[i], y: N.y[i], size: N.size[i], group: kinds[N.kind[i]] };
      if (labelled[i]) { item.label = shorten(N.title[i], data.labelChars); item.font = { size: N.font[i] }; }
      if (custom[i]) item.color = nodeColor(custom[i], colors);
      items.push(item);
    }
    var nodes = new vis.DataSet(items);
    var edges = new vis.DataSet();
    function edgeItem(e) { return { id: e, from: data.edges[2 * e], to: data.edges[2 * e + 1] }; }
    if (data.drawEdges) {
      var all = [];
      for (var e = 0; e < data.edges.length / 2; e++) all.push(edgeItem(e));
      edges.add(all);
    }
    var options = Object.assign({}, data.options);
    var style = styleOptions(colors);
    options.groups = style.groups;
    options.nodes = Object.assign({}, options.nodes, { font: Object.assign({}, (options.nodes || {}).font, style.nodes.font) });
    options.edges = Object.assign({}, options.edges, style.edges);
    api.timings.items = performance.now() - started;
    var network = new vis.Network(canvas, { nodes: nodes, edges: edges }, options);
    api.timings.network = performance.now() - started;
    state.network = network;
    api.network = network;
    api.nodes = nodes;
    api.edges = edges;
    api.data = data;

    /* Links of one node: drawn on demand when the graph is too big to draw them all. */
    var shownEdges = [];
    function showLinks(i) {
      if (data.drawEdges) return;
      var mine = links[i].slice(0, data.hoverEdges || 400);
      edges.remove(shownEdges.filter(function (e) { return mine.indexOf(e) < 0; }));
      edges.update(mine.map(edgeItem));
      shownEdges = mine;
    }
    function neighbours(i) {
      var out = [];
      links[i].forEach(function (e) {
        var a = data.edges[2 * e], b = data.edges[2 * e + 1];
        out.push(a === i ? b : a);
      });
      return out;
    }
    var lit = [];
    function light(i) {
      var next = i === null ? [] : [i].concat(neighbours(i)).slice(0, 2000);
      var changes = [];
      lit.forEach(function (j) { if (next.indexOf(j) < 0) changes.push({ id: j, borderWidth: 1, font: { bold: false } }); });
      next.forEach(function (j) { changes.push({ id: j, borderWidth: 3 }); });
      nodes.update(changes);
      lit = next;
    }

    network.on("hoverNode", function (params) {
      showLinks(params.node);
      light(params.node);
      tip.show(N.title[params.node], params.pointer.DOM);
    });
    network.on("blurNode", function () { tip.hide(); });
    network.on("hoverEdge", function (params) {
      tip.show(edgeText(data, params.edge), params.pointer.DOM);
    });
    network.on("blurEdge", function () { tip.hide(); });
    network.on("dragStart", function () { tip.hide(); });

    /* Labels for the nodes in view, once zoomed in far enough to read them. */
    var labelTimer = null;
    function labelView() {
      labelTimer = null;
      var scale = network.getScale();
      if (scale * 12 < 6) return; // labels would not be drawn anyway
      var box = canvas.getBoundingClientRect();
      var a = network.DOMtoCanvas({ x: 0, y: 0 });
      var b = network.DOMtoCanvas({ x: box.width, y: box.height });
      var changes = [];
      for (var k = 0; k < n && changes.length < data.labelsInView; k++) {
        if (!labelled[k] && visible[k] && N.x[k] >= a.x && N.x[k] <= b.x && N.y[k] >= a.y && N.y[k] <= b.y) {
          labelled[k] = 1;
          changes.push({ id: k, label: shorten(N.title[k], data.labelChars), font: { size: N.font[k] } });
        }
      }
      if (changes.length) nodes.update(changes);
    }
    function laterLabels() {
      if (labelTimer) clearTimeout(labelTimer);
      labelTimer = setTimeout(labelView, 150);
    }
    network.on("zoom", laterLabels);
    network.on("dragEnd", laterLabels);
    network.on("animationFinished", laterLabels);
    api.labelView = labelView;
    network.on("click", function (params) {
      if (params.nodes.length) {
        go(N.url[params.nodes[0]]);
      } else if (params.edges.length) {
        var edge = params.edges[0];
        if ((data.moments || {})[edge]) momentsPanel(panel, data, edge);
        else panel.hidden = true;
      } else {
        panel.hidden = true;
        light(null);
      }
    });

    function focus(i) {
      showLinks(i);
      light(i);
      network.selectNodes([i]);
      var scale = Math.max(network.getScale(), 1.2);
      network.focus(i, { scale: scale, animation: { duration: 300, easingFunction: "easeInOutQuad" } });
      api.focused = i;
      status.textContent = N.title[i];
    }

    /* Search by title or alias, filters by kind, tag and folder; the legend is the kind list. */
    var search = el("input", "ng-graph-search md-input");
    search.type = "search";
    search.placeholder = "Find a node";
    search.setAttribute("aria-label", "Find a node by title or alias");
    var results = el("ul", "ng-graph-results");
    results.hidden = true;
    var searchBox = el("div", "ng-graph-find");
    searchBox.appendChild(search);
    searchBox.appendChild(results);
    bar.appendChild(searchBox);
    var folded = N.title.map(function (t, k) {
      return [t].concat(N.aliases ? N.aliases[k] : []).map(function (s) { return s.toLowerCase(); });
    });
    function find(query) {
      var q = query.trim().toLowerCase();
      if (!q) return [];
      var starts = [], contains = [];
      for (var k = 0; k < n && starts.length < 10; k++) {
        if (!visible[k]) continue;
        var names = folded[k];
        if (names.some(function (s) { return s.indexOf(q) === 0; })) starts.push(k);
        else if (contains.length < 10 && names.some(function (s) { return s.indexOf(q) > 0; })) contains.push(k);
      }
      return starts.concat(contains).slice(0, 10);
    }
    function listResults() {
      var found = find(search.value);
      results.textContent = "";
      found.forEach(function (k) {
        var li = el("li");
        var button = el("button", "ng-graph-result", N.title[k]);
        button.type = "button";
        button.setAttribute("data-kind", kinds[N.kind[k]]);
        button.addEventListener("click", function () { results.hidden = true; focus(k); });
        li.appendChild(button);
        results.appendChild(li);
      });
      results.hidden = found.length === 0;
      return found;
    }
    search.addEventListener("input", listResults);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var found = listResults();
        if (found.length) { results.hidden = true; focus(found[0]); }
        event.preventDefault();
      } else if (event.key === "Escape") {
        results.hidden = true;
      }
      event.stopPropagation(); // keep Material's keyboard shortcuts out of the box
    });

    var visible = N.title.map(function () { return true; });
    var kindOn = {};
    var legend = el("fieldset", "ng-graph-legend");
    legend.appendChild(el("legend", null, "Show"));
    var present = {};
    N.kind.forEach(function (k) { present[kinds[k]] = (present[kinds[k]] || 0) + 1; });
    kinds.forEach(function (kind) {
      kindOn[kind] = true;
      if (!present[kind]) return;
      var label = el("label", "ng-graph-kind");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = kind;
      box.setAttribute("data-kind", kind);
      box.addEventListener("change", function () { kindOn[kind] = box.checked; applyFilters(); });
      label.appendChild(box);
      label.appendChild(el("span", "ng-swatch ng-swatch--" + kind));
      label.appendChild(el("span", null, kind + "s (" + present[kind] + ")"));
      legend.appendChild(label);
    });
    bar.appendChild(legend);

    function select(name, label, values) {
      var box = el("select", "ng-graph-filter");
      box.name = name;
      box.setAttribute("aria-label", label);
      box.appendChild(el("option", null, label));
      box.options[0].value = "";
      values.forEach(function (value, k) {
        var option = el("option", null, value || "(top folder)");
        option.value = String(k);
        box.appendChild(option);
      });
      box.addEventListener("change", applyFilters);
      bar.appendChild(box);
      return box;
    }
    var tagBox = data.tags.length ? select("tag", "All tags", data.tags) : null;
    var folderBox = data.folders.length > 1 ? select("folder", "All folders", data.folders) : null;

    function applyFilters() {
      var tag = tagBox && tagBox.value !== "" ? Number(tagBox.value) : null;
      var folder = folderBox && folderBox.value !== "" ? data.folders[Number(folderBox.value)] : null;
      var changes = [];
      for (var k = 0; k < n; k++) {
        var f = data.folders[N.folder[k]];
        var on = kindOn[kinds[N.kind[k]]] &&
          (tag === null || N.tags[k].indexOf(tag) >= 0) &&
          (folder === null || f === folder || (folder !== "" && f.indexOf(folder + "/") === 0));
        if (on !== visible[k]) { visible[k] = on; changes.push({ id: k, hidden: !on }); }
      }
      nodes.update(changes);
      showStatus();
    }
    function showStatus() {
      var count = visible.filter(Boolean).length;
      status.textContent = count + " of " + n + " nodes · " + data.edges.length / 2 + " links" +
        (data.drawEdges ? "" : " (a node's links show when you point at it)") +
        " · size: number of links · click a node to open its page";
    }
    showStatus();

    state.observer = watchPalette(function () {
      colors = palette(container, data);
      var style = styleOptions(colors);
      network.setOptions({ groups: style.groups, nodes: style.nodes, edges: style.edges });
      var changes = [];
      for (var k = 0; k < n; k++) if (custom[k]) changes.push({ id: k, color: nodeColor(custom[k], colors) });
      if (changes.length) nodes.update(changes);
    });

    api.focus = focus;
    api.visibleCount = function () {
      return Object.keys(network.body.nodes).filter(function (id) {
        return !network.body.nodes[id].options.hidden;
      }).length;
    };
    network.once("afterDrawing", function () {
      api.renderedAt = performance.now(); // since navigation started
      api.firstRender = api.renderedAt - started; // since the script started on the page
      api.ready = true;
      container.setAttribute("data-ng-ready", "");
    });
  }

  /* --- the local graph ----------------------------------------------------------------- */

  function initLocal(section) {
    var state = { destroyed: false, network: null, observer: null };
    var data;
    try { data = JSON.parse(section.getAttribute("data-ng-local")); } catch (error) { return function () {}; }
    loadVis().then(function (vis) { if (!state.destroyed) drawLocal(section, data, vis, state); });
    return function () {
      state.destroyed = true;
      if (state.observer) state.observer.disconnect();
      if (state.network) state.network.destroy();
      if (api.local === state.network) api.local = null;
    };
  }

  function drawLocal(section, data, vis, state) {
    var N = data.nodes, n = N.title.length, kinds = data.kinds;
    section.hidden = false;
    section.textContent = "";
    var head = el("div", "ng-local-head");
    head.appendChild(el("h2", "ng-local-title", "Local graph"));
    var expand = el("button", "md-button ng-local-expand");
    expand.type = "button";
    var deeper = N.depth.some(function (d) { return d > data.depth; });
    var canvas = el("div", "ng-local-canvas");
    var panel = el("div", "ng-graph-panel");
    panel.hidden = true;
    var note = el("p", "ng-local-note");
    head.appendChild(expand);
    section.appendChild(head);
    section.appendChild(canvas);
    section.appendChild(panel);
    section.appendChild(note);
    var tip = Tooltip(canvas);
    applyKindColors(section, data);
    var colors = palette(section, data);
    var depth = data.depth;

    var items = [];
    var custom = [];
    for (var i = 0; i < n; i++) {
      var item = {
        id: i, label: shorten(N.title[i], data.labelChars), x: N.x[i], y: N.y[i], size: N.size[i],
        font: { size: N.font[i] }, group: kinds[N.kind[i]], hidden: N.depth[i] > depth,
      };
      custom.push(folderColor(data.folderColors, N.folder[i]));
      if (custom[i]) item.color = nodeColor(custom[i], colors);
      if (i === 0) item.borderWidth = 3;
      items.push(item);
    }
    var edgeItems = [];
    for (var e = 0; e < data.edges.length / 2; e++) edgeItems.push({ id: e, from: data.edges[2 * e], to: data.edges[2 * e + 1] });
    var nodes = new vis.DataSet(items);
    var style = styleOptions(colors);
    var options = {
      autoResize: true,
      physics: { enabled: false },
      layout: { improvedLayout: false },
      interaction: { hover: true, zoomView: false, dragView: true, tooltipDelay: 3600000, keyboard: false },
      nodes: {
        shape: "dot", borderWidth: 1,
        scaling: { label: { drawThreshold: 4, maxVisible: 20 } },
        font: style.nodes.font,
      },
      edges: { width: 0.8, smooth: false, arrows: { to: { enabled: true, scaleFactor: 0.4 } }, color: style.edges.color },
      groups: style.groups,
    };
    var network = new vis.Network(canvas, { nodes: nodes, edges: new vis.DataSet(edgeItems) }, options);
    state.network = network;
    api.local = network;
    /* vis-network fits the nodes, not their labels: leave room for the outer ring's. */
    function fitWithRoom() {
      network.fit({ animation: false });
      network.moveTo({ scale: network.getScale() * 0.85, animation: false });
    }
    fitWithRoom();

    function describe() {
      var hidden = data.hidden && data.hidden.length ? data.hidden.slice(0, depth).reduce(function (a, b) { return a + b; }, 0) : 0;
      var shown = N.depth.filter(function (d) { return d <= depth; }).length - 1;
      note.textContent = shown + " linked node" + (shown === 1 ? "" : "s") +
        (hidden ? " (" + hidden + " more not shown)" : "") + " · click a node to open it";
      expand.textContent = depth > data.depth ? "Show less" : "Show " + (data.depth + 1) + " links away";
      expand.hidden = !deeper;
    }
    expand.addEventListener("click", function () {
      depth = depth > data.depth ? data.depth : data.depth + 1;
      var changes = [];
      for (var k = 0; k < n; k++) changes.push({ id: k, hidden: N.depth[k] > depth });
      nodes.update(changes);
      fitWithRoom();
      describe();
    });
    describe();

    network.on("hoverNode", function (params) { tip.show(N.title[params.node], params.pointer.DOM); });
    network.on("blurNode", function () { tip.hide(); });
    network.on("hoverEdge", function (params) { tip.show(edgeText(data, params.edge), params.pointer.DOM); });
    network.on("blurEdge", function () { tip.hide(); });
    network.on("click", function (params) {
      if (params.nodes.length) {
        if (params.nodes[0] !== 0) go(N.url[params.nodes[0]]);
      } else if (params.edges.length && (data.moments || {})[params.edges[0]]) {
        momentsPanel(panel, data, params.edges[0]);
      } else {
        panel.hidden = true;
      }
    });
    state.observer = watchPalette(function () {
      colors = palette(section, data);
      var next = styleOptions(colors);
      network.setOptions({ groups: next.groups, nodes: next.nodes, edges: next.edges });
      var changes = [];
      for (var k = 0; k < n; k++) if (custom[k]) changes.push({ id: k, color: nodeColor(custom[k], colors) });
      if (changes.length) nodes.update(changes);
    });
  }

  /* --- lifecycle ----------------------------------------------------------------------- */

  function init() {
    active.forEach(function (teardown) { teardown(); });
    active = [];
    api.ready = false;
    document.querySelectorAll("div.ng-graph").forEach(function (container) {
      active.push(initGlobal(container));
    });
    document.querySelectorAll(".ng-local-graph[data-ng-local]").forEach(function (section) {
      active.push(initLocal(section));
    });
    document.querySelectorAll(".ng-local-graph[data-ng-local-src]").forEach(function (section) {
      if (!section.hasAttribute("data-ng-local")) active.push(whenSeen(section));
    });
  }

  /* A local graph whose data is a file of its own: the data, and vis-network with it, load
     only when the reader comes near the graph; until then its place is kept empty. */
  function whenSeen(section) {
    var stopped = false, teardown = null, observer = null;
    section.hidden = false;
    section.classList.add("ng-local-pending");
    function load() {
      if (observer) observer.disconnect();
      fetch(siteUrl(section.getAttribute("data-ng-local-src")))
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (text) {
          if (stopped) return;
          section.classList.remove("ng-local-pending");
          section.setAttribute("data-ng-local", text);
          teardown = initLocal(section);
        })
        .catch(function () { if (!stopped) section.hidden = true; });
    }
    if (!("IntersectionObserver" in window)) {
      load();
    } else {
      observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) load();
      }, { rootMargin: "0px 0px 300px 0px" });
      observer.observe(section);
    }
    return function () {
      stopped = true;
      if (observer) observer.disconnect();
      if (teardown) teardown();
    };
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
