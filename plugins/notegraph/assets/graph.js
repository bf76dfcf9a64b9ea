/* notegraph: the global graph page and the local graph of every page.
 *
 * Data comes from the build (graph/view.json for the global graph, a file named by the
 * data-ng-local-src attribute for a local graph); positions are precomputed, so vis-network
 * runs with physics off. vis-network is vendored and loaded from this site only when a page
 * shows a graph: a local graph loads it (and its data) when the reader scrolls near it.
 * Every title, tag and path from the data is set with textContent, never as HTML.
 * Material's instant navigation swaps pages without reloading: init() runs on every
 * document$ emission and tears down what the previous page drew.
 *
 * vis-network draws the nodes and edges; this script draws the labels (Labels below): at
 * every zoom level only those that fit without overlapping, the most important first, the
 * hovered or focused node's in full. vis-network empties the element it draws in, so
 * tooltips, panels and legends live in a "stage" around that element.
 *
 * window.notegraphGraph is a small read-only view for tests and tools: labels() and
 * localLabels() give the label boxes drawn last (page coordinates, the node's text and the
 * lines drawn), tooltip() the text of the visible tooltip (or null).
 */
(function () {
  "use strict";

  var SCRIPT = document.currentScript;
  var ROOT = new URL("../../", SCRIPT ? SCRIPT.src : location.href);
  var VIS = "assets/notegraph/vendor/vis-network/vis-network.min.js";
  var DATA = "graph/view.json"; // a container may name another file in data-ng-graph
  var SHAPES = { note: "dot", topic: "diamond", video: "triangle", channel: "star" };
  var FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var PALETTE = 10; // community colours: --ng-graph-c0 ... --ng-graph-c9 in graph.css
  var LEGEND = 12; // communities named in the legend
  var visLoading = null;
  var active = [];
  var shown = { global: null, local: null, tips: [] };
  var api = (window.notegraph = { network: null, local: null, ready: false });

  window.notegraphGraph = Object.freeze({
    labels: function () { return shown.global ? shown.global.boxes() : []; },
    localLabels: function () { return shown.local ? shown.local.boxes() : []; },
    localNodes: function () { return shown.local ? shown.local.nodes() : []; },
    tooltip: function () {
      for (var k = 0; k < shown.tips.length; k++) if (shown.tips[k].text()) return shown.tips[k].text();
      return null;
    },
  });

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

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function isTouch(params) {
    var event = params && params.event;
    if (!event) return false;
    var type = event.pointerType || (event.srcEvent && event.srcEvent.pointerType);
    return type === "touch" || type === "pen";
  }

  /* Whether the pointer on `element` was last a finger: after a tap the browser sends mouse
   * events too, whose hover must not undo what the tap showed. */
  function fingerWatch(element) {
    var finger = false;
    function note(event) { finger = event.pointerType === "touch" || event.pointerType === "pen"; }
    element.addEventListener("pointerdown", note, true);
    element.addEventListener("pointermove", note, true);
    return function () { return finger; };
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
    Object.keys(SHAPES).forEach(function (kind) {
      colors[kind] = (data.colors && data.colors[kind]) || v("--ng-graph-" + kind, "#888");
    });
    var communities = [];
    for (var c = 0; c < PALETTE; c++) communities.push(v("--ng-graph-c" + c, "#888"));
    return {
      kinds: colors,
      communities: communities,
      other: v("--ng-graph-other", "#aaa"),
      label: v("--ng-graph-label", "#222"),
      halo: v("--ng-graph-halo", "#fff"),
      edge: v("--ng-graph-edge", "rgba(0,0,0,.2)"),
      faint: v("--ng-graph-edge-faint", "rgba(0,0,0,.06)"),
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

  function neighboursOf(links, flat, i) {
    var out = [];
    links[i].forEach(function (e) {
      var a = flat[2 * e], b = flat[2 * e + 1];
      out.push(a === i ? b : a);
    });
    return out;
  }

  /* The element vis-network draws in, inside a stage that holds what goes over it. */
  function stage(parent, className) {
    var box = el("div", "ng-graph-stage");
    var canvas = el("div", className);
    box.appendChild(canvas);
    parent.appendChild(box);
    return { box: box, canvas: canvas };
  }

  /* A tooltip over the stage: a first line in bold, then plain lines. */
  function Tooltip(box) {
    var tip = el("div", "ng-graph-tip");
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    box.appendChild(tip);
    var self = {
      show: function (lines, pointer) {
        tip.textContent = "";
        lines.forEach(function (line, k) { if (line) tip.appendChild(el(k ? "span" : "strong", null, line)); });
        tip.hidden = false;
        var width = box.clientWidth, height = box.clientHeight;
        var x = pointer.x + 14, y = pointer.y + 16;
        if (x + tip.offsetWidth > width - 4) x = Math.max(4, pointer.x - tip.offsetWidth - 14);
        if (y + tip.offsetHeight > height - 4) y = Math.max(4, pointer.y - tip.offsetHeight - 14);
        tip.style.left = x + "px";
        tip.style.top = y + "px";
      },
      hide: function () { tip.hidden = true; },
      text: function () { return tip.hidden ? null : tip.innerText; },
      forget: function () { shown.tips = shown.tips.filter(function (t) { return t !== self; }); },
    };
    shown.tips.push(self);
    return self;
  }

  function nodeLines(data, i, folder, group, touch) {
    var N = data.nodes;
    var kind = data.kinds[N.kind[i]];
    var meta = [kind];
    if (folder) meta.push(folder + "/");
    meta.push(plural(N.links[i], "link"));
    var named = group && group !== N.title[i];
    return [N.title[i], meta.join(" · "), named ? "community: " + group : "", touch ? "tap again to open" : ""];
  }

  /* The tooltip of the global and the local graph over links: a link's moments while the
     pointer rests on it (not for a finger: a tap opens the panel), gone on a drag or a zoom. */
  function edgeTips(network, data, tip, finger) {
    network.on("hoverEdge", function (params) {
      if (!finger()) tip.show(edgeLines(data, params.edge), params.pointer.DOM);
    });
    network.on("blurEdge", function () { if (!finger()) tip.hide(); });
    network.on("dragStart", function () { tip.hide(); });
    network.on("zoom", function () { tip.hide(); });
  }

  function edgeLines(data, edge) {
    var a = data.edges[2 * edge], b = data.edges[2 * edge + 1];
    var seconds = (data.moments || {})[edge] || [];
    var times = seconds.slice(0, 8).map(clock).join(", ") + (seconds.length > 8 ? ", …" : "");
    return [
      data.nodes.title[a] + " → " + data.nodes.title[b],
      seconds.length ? plural(seconds.length, "moment") + ": " + times : "",
      seconds.length ? "click to play" : "",
    ];
  }

  /* The moments of an edge, in a panel over the stage where it was clicked: play links into
   * the video they cite (the linking note's, which the build names per edge in momentVideo),
   * or bare times for a self-hosted video. */
  function MomentsPanel(box) {
    var panel = el("div", "ng-graph-panel");
    panel.setAttribute("role", "dialog");
    panel.hidden = true;
    box.appendChild(panel);
    function hide() { panel.hidden = true; }
    return {
      element: panel,
      hide: hide,
      show: function (data, edge, pointer) {
        var a = data.edges[2 * edge], b = data.edges[2 * edge + 1];
        var video = (data.momentVideo || {})[edge];
        var seconds = (data.moments || {})[edge] || [];
        panel.textContent = "";
        var close = el("button", "ng-graph-panel-close", "×");
        close.type = "button";
        close.setAttribute("aria-label", "Close");
        close.addEventListener("click", hide);
        panel.appendChild(close);
        panel.appendChild(el("span", "ng-graph-edge-name", data.nodes.title[a] + " → " + data.nodes.title[b]));
        var list = el("span", "ng-graph-moments");
        seconds.forEach(function (s) {
          var item = video ? el("a", "ng-graph-moment", "▶ " + clock(s)) : el("span", "ng-graph-moment", clock(s));
          if (video) {
            item.href = "https://www.youtube.com/watch?v=" + encodeURIComponent(video) + "&t=" + s + "s";
            item.target = "_blank";
            item.rel = "noopener";
          }
          list.appendChild(item);
        });
        panel.appendChild(list);
        panel.hidden = false;
        // Beside the click, inside the part of the stage the reader sees.
        var rect = box.getBoundingClientRect();
        var top = Math.max(0, -rect.top) + 4;
        var bottom = Math.min(rect.height, window.innerHeight - rect.top) - 4;
        var x = Math.min(pointer.x + 12, rect.width - panel.offsetWidth - 4);
        var y = pointer.y + 12;
        if (y + panel.offsetHeight > bottom) y = pointer.y - panel.offsetHeight - 12;
        y = Math.max(top, Math.min(y, bottom - panel.offsetHeight));
        panel.style.left = Math.max(4, x) + "px";
        panel.style.top = y + "px";
      },
    };
  }

  function watchPalette(apply) {
    var observer = new MutationObserver(apply);
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    return observer;
  }

  /* --- labels -------------------------------------------------------------------------- */

  /* Labels drawn over vis-network's canvas after each frame, at a size fixed on screen:
   * nodes are taken most important first, and a label is drawn only where it overlaps no
   * label drawn before it (with a margin), no overlay (obstacles()), no node the reader is
   * looking at (marked(i)) and no node drawn big; and stays inside the canvas (a grid of
   * cells finds neighbours). Labels cover at most `density` of the canvas, except those of
   * free(i) nodes; the nodes given by forced() come first and always get their label, in full.
   *
   * source: order() (node ids, most important first, forced ones first), forced(i),
   *   marked(i), free(i), text(i) (the label when not forced), full(i), font(i) (px),
   *   bold(i), tint(i) (a colour to mix into the text, or null), room(i) (the widest a
   *   forced label may be before it wraps, optional), visible(i),
   *   spots(i, x, y, r, w, h) (candidate boxes [left, top], best first),
   *   obstacles() (boxes [left, top, width, height]), density, colors(). */
  function Labels(network, canvasBox, source) {
    var CELL = 64, MAX_EXAMINED = 6000, MAX_DRAWN = 500, PAD = 3, BIG = 12;
    var widths = new Map();
    var drawn = [];
    var measure = document.createElement("canvas").getContext("2d");

    function width(text, font, bold) {
      var key = (bold ? "b" : "") + text;
      var w = widths.get(key);
      if (w === undefined) {
        measure.font = (bold ? "600 " : "") + "100px " + FACE;
        w = measure.measureText(text).width / 100;
        widths.set(key, w);
      }
      return w * font;
    }

    /* Words of `text` in lines at most `room` px wide (a word longer than that is cut). */
    function wrap(text, font, bold, room) {
      if (width(text, font, bold) <= room) return [text];
      var lines = [], current = "";
      text.split(/\s+/).forEach(function (word) {
        var next = current ? current + " " + word : word;
        if (current && width(next, font, bold) > room) { lines.push(current); current = word; }
        else current = next;
      });
      lines.push(current);
      return lines.map(function (line) {
        while (line.length > 4 && width(line, font, bold) > room) line = shorten(line, line.length - 2);
        return line;
      });
    }

    function place() {
      var W = canvasBox.clientWidth, H = canvasBox.clientHeight;
      var scale = network.getScale();
      var t = network.body.view.translation;
      var bodies = network.body.nodes;
      var grid = new Map();
      var out = [];
      function cells(b, add) {
        var pad = add ? 0 : PAD;
        var x0 = Math.floor((b[0] - pad) / CELL), x1 = Math.floor((b[0] + b[2] + pad) / CELL);
        var y0 = Math.floor((b[1] - pad) / CELL), y1 = Math.floor((b[1] + b[3] + pad) / CELL);
        for (var cx = x0; cx <= x1; cx++) {
          for (var cy = y0; cy <= y1; cy++) {
            var key = cx * 100003 + cy;
            var list = grid.get(key);
            if (add) {
              if (!list) grid.set(key, (list = []));
              list.push(b);
            } else if (list) {
              for (var k = 0; k < list.length; k++) {
                var o = list[k];
                if (b[0] - pad < o[0] + o[2] && o[0] < b[0] + b[2] + pad &&
                  b[1] - pad < o[1] + o[3] && o[1] < b[1] + b[3] + pad) return true;
              }
            }
          }
        }
        return false;
      }
      function meets(a, b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
      }
      function circle(body) {
        var r = (body.options.size || 5) * scale * 0.85;
        var x = body.x * scale + t.x, y = body.y * scale + t.y;
        return [x - r, y - r, 2 * r, 2 * r];
      }
      var order = source.order();
      (source.obstacles ? source.obstacles() : []).forEach(function (b) { cells(b, true); });
      var big = [];
      for (var j = 0; j < order.length; j++) {
        var other = bodies[order[j]];
        if (!other || !source.visible(order[j])) continue;
        if (source.marked(order[j]) || (other.options.size || 5) * scale >= BIG) {
          var c = circle(other);
          if (c[0] + c[2] >= 0 && c[1] + c[3] >= 0 && c[0] <= W && c[1] <= H) big.push(c);
        }
      }
      big.forEach(function (b) { cells(b, true); });
      var budget = (source.density || 1) * W * H, used = 0;
      var examined = 0;
      for (var k = 0; k < order.length && out.length < MAX_DRAWN; k++) {
        var i = order[k];
        var body = bodies[i];
        if (!body || !source.visible(i)) continue;
        var forced = source.forced(i);
        var x = body.x * scale + t.x, y = body.y * scale + t.y;
        var free = forced || (source.free && source.free(i));
        if (!forced) {
          if (x < -40 || y < -40 || x > W + 40 || y > H + 40) continue;
          if (++examined > MAX_EXAMINED) break;
          if (!free && used > budget) continue;
        }
        var text = forced ? source.full(i) : source.text(i);
        if (!text) continue;
        var font = source.font(i);
        var bold = forced || source.bold(i);
        // A label wider than the canvas: a forced one wraps (it shows in full), others are cut.
        // A forced label's room is never narrower than its widest word: words are not cut.
        var room = source.room ? source.room(i) : Infinity;
        if (forced && room < Infinity) {
          room = Math.max(room, Math.max.apply(null, text.split(/\s+/).map(function (word) { return width(word, font, bold); })));
        }
        room = Math.min(W - 8, room);
        var lines = forced ? wrap(text, font, bold, room) : [text];
        while (!forced && text.length > 4 && width(text, font, bold) + 8 > W) lines = [text = shorten(text, text.length - 2)];
        var w = 4 + Math.max.apply(null, lines.map(function (line) { return width(line, font, bold); }));
        var line = Math.round(font * 1.3), h = line * lines.length;
        var r = (body.options.size || 5) * scale;
        var spots = source.spots(i, x, y, r, w, h);
        var chosen = null;
        var own = [x - r, y - r, 2 * r, 2 * r], fallback = null;
        for (var s = 0; s < spots.length && !chosen; s++) {
          var b = [spots[s][0], spots[s][1], w, h];
          if (forced) { // pulled inside the canvas; over other labels' places if it must
            b[0] = Math.max(2, Math.min(b[0], W - w - 2));
            b[1] = Math.max(2, Math.min(b[1], H - h - 2));
            if (!cells(b, false)) chosen = b;
            else if (!fallback && !meets(b, own)) fallback = b;
          } else if (b[0] >= 0 && b[1] >= 0 && b[0] + w <= W && b[1] + h <= H && !cells(b, false)) {
            chosen = b;
          }
        }
        if (forced && !chosen) chosen = fallback || [Math.max(2, Math.min(spots[0][0], W - w - 2)), spots[0][1], w, h];
        if (!chosen) continue;
        cells(chosen, true);
        used += w * h;
        out.push({
          node: i, text: text, lines: lines, line: line, font: font, bold: bold, box: chosen,
          tint: source.tint ? source.tint(i) : null,
        });
      }
      return out;
    }

    function draw(ctx) {
      drawn = place();
      var colors = source.colors();
      var ratio = network.canvas.pixelRatio || window.devicePixelRatio || 1;
      ctx.save();
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.textBaseline = "middle";
      ctx.textAlign = "left";
      ctx.lineJoin = "round";
      ctx.strokeStyle = colors.halo;
      ctx.fillStyle = colors.label;
      for (var k = drawn.length - 1; k >= 0; k--) {
        var d = drawn[k], b = d.box;
        ctx.fillStyle = d.tint ? mix(colors.label, d.tint, 0.45) : colors.label;
        ctx.font = (d.bold ? "600 " : "") + d.font + "px " + FACE;
        ctx.lineWidth = 3;
        for (var l = 0; l < d.lines.length; l++) {
          ctx.strokeText(d.lines[l], b[0] + 2, b[1] + d.line * (l + 0.5));
          ctx.fillText(d.lines[l], b[0] + 2, b[1] + d.line * (l + 0.5));
        }
      }
      ctx.restore();
    }

    network.on("afterDrawing", draw);
    return {
      boxes: function () {
        var rect = canvasBox.getBoundingClientRect();
        return drawn.map(function (d) {
          return {
            node: d.node, text: d.text, lines: d.lines,
            x: rect.left + d.box[0], y: rect.top + d.box[1], width: d.box[2], height: d.box[3],
          };
        });
      },
    };
  }

  /* A colour between two "#rrggbb" colours (`share` of the second), or the first. */
  function mix(a, b, share) {
    var x = /^#([0-9a-f]{6})$/i.exec(a), y = /^#([0-9a-f]{6})$/i.exec(b);
    if (!x || !y) return a;
    var p = parseInt(x[1], 16), q = parseInt(y[1], 16), out = "#";
    for (var shift = 16; shift >= 0; shift -= 8) {
      var c = Math.round(((p >> shift) & 255) * (1 - share) + ((q >> shift) & 255) * share);
      out += (c < 16 ? "0" : "") + c.toString(16);
    }
    return out;
  }

  /* Boxes around a node of the global map: below it, above, right, left. */
  function aroundSpots(i, x, y, r, w, h) {
    return [
      [x - w / 2, y + r + 4],
      [x - w / 2, y - r - h - 4],
      [x + r + 5, y - h / 2],
      [x - r - w - 5, y - h / 2],
    ];
  }

  /* --- the global graph ---------------------------------------------------------------- */

  function initGlobal(container) {
    var state = { destroyed: false, network: null, observer: null, tip: null };
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
      if (state.tip) state.tip.forget();
      if (state.network) state.network.destroy();
      if (api.network === state.network) api.network = null;
      if (shown.global === state.labels) shown.global = null;
    };
  }

  function drawGlobal(container, data, vis, state, started) {
    api.timings = { loaded: performance.now() - started };
    var N = data.nodes, n = N.title.length, kinds = data.kinds;
    var C = data.communities || { size: [], name: [], color: [] };
    var community = N.community || [];
    var links = adjacency(n, data.edges);
    applyKindColors(container, data);
    var colors = palette(container, data);
    var custom = [];
    for (var i = 0; i < n; i++) custom.push(folderColor(data.folderColors, data.folders[N.folder[i]]));
    var colorBy = data.colorBy || "kind";

    container.classList.add("ng-graph--ready");
    var bar = el("div", "ng-graph-bar");
    container.appendChild(bar);
    var parts = stage(container, "ng-graph-canvas");
    var canvas = parts.canvas;
    var status = el("p", "ng-graph-status");
    container.appendChild(status);
    var tip = (state.tip = Tooltip(parts.box));
    var panel = MomentsPanel(parts.box);

    function colorOf(k) {
      if (colorBy === "community") {
        var c = community[k];
        return nodeColor(c >= 0 ? colors.communities[C.color[c] % PALETTE] : colors.other, colors);
      }
      return custom[k] ? nodeColor(custom[k], colors) : undefined;
    }
    var items = [];
    for (i = 0; i < n; i++) {
      var item = { id: i, x: N.x[i], y: N.y[i], size: N.size[i], group: kinds[N.kind[i]] };
      var color = colorOf(i);
      if (color) item.color = color;
      items.push(item);
    }
    var nodes = new vis.DataSet(items);
    var edges = new vis.DataSet();
    /* The links of a node linked from everywhere (a channel's hub) say nothing about the
     * map's structure and would cover it: they are drawn faint. */
    var everywhere = data.faintAbove || Math.max(50, n / 10);
    function edgeItem(e) {
      var a = data.edges[2 * e], b = data.edges[2 * e + 1];
      var item = { id: e, from: a, to: b };
      if (faint(e)) item.color = faintColor();
      return item;
    }
    function faint(e) {
      return links[data.edges[2 * e]].length > everywhere || links[data.edges[2 * e + 1]].length > everywhere;
    }
    function faintColor() {
      return { color: colors.faint, highlight: colors.highlight, hover: colors.highlight };
    }
    if (data.drawEdges) {
      var all = [];
      for (var e = 0; e < data.edges.length / 2; e++) all.push(edgeItem(e));
      edges.add(all);
    }
    var options = Object.assign({}, data.options);
    var style = styleOptions(colors);
    options.groups = style.groups;
    options.edges = Object.assign({}, options.edges, style.edges);
    options.interaction = Object.assign({}, options.interaction, { dragNodes: false });
    api.timings.items = performance.now() - started;
    var network = new vis.Network(canvas, { nodes: nodes, edges: edges }, options);
    api.timings.network = performance.now() - started;
    state.network = network;
    api.network = network;
    api.nodes = nodes;
    api.edges = edges;
    api.data = data;

    /* Which labels matter most: the node focused (searched or tapped) and the one pointed
     * at, their neighbours, the name of each community, then the most linked. */
    var names = new Uint8Array(n);
    C.name.forEach(function (k) { names[k] = 1; });
    var base = [];
    C.name.forEach(function (k) { base.push(k); });
    var rest = [];
    for (i = 0; i < n; i++) if (!names[i]) rest.push(i);
    rest.sort(function (a, b) { return N.links[b] - N.links[a] || a - b; });
    base = base.concat(rest);
    var focused = null, hovered = null, order = base;
    var litSet = new Uint8Array(n); // the node focused or pointed at, and its neighbours
    function reorder() {
      var first = [];
      [focused, hovered].forEach(function (k) { if (k !== null && first.indexOf(k) < 0) first.push(k); });
      if (!first.length) { order = base; return; }
      var near = [];
      first.forEach(function (k) { near = near.concat(neighboursOf(links, data.edges, k).slice(0, 400)); });
      near.sort(function (a, b) { return N.links[b] - N.links[a] || a - b; });
      var seen = new Uint8Array(n);
      order = [];
      first.concat(near, base).forEach(function (k) { if (!seen[k]) { seen[k] = 1; order.push(k); } });
    }
    var visible = N.title.map(function () { return true; });
    var labels = (state.labels = Labels(network, canvas, {
      order: function () { return order; },
      forced: function (k) { return k === focused || k === hovered; },
      marked: function (k) { return litSet[k] === 1; },
      free: function (k) { return names[k] === 1; },
      tint: function (k) {
        var c = community[k];
        return names[k] && colorBy === "community" && c >= 0 ? colors.communities[C.color[c] % PALETTE] : null;
      },
      density: 0.2,
      obstacles: function () {
        var rect = canvas.getBoundingClientRect();
        return [key, panel.element].filter(function (box) { return box && !box.hidden && box.isConnected; })
          .map(function (box) {
            var r = box.getBoundingClientRect();
            return [r.left - rect.left, r.top - rect.top, r.width, r.height];
          });
      },
      text: function (k) { return shorten(N.title[k], data.labelChars); },
      full: function (k) { return N.title[k]; },
      font: function (k) { // a little smaller on a phone
        var size = names[k] ? N.font[k] + 2 : N.font[k];
        return canvas.clientWidth < 600 ? Math.round(0.85 * size) : size;
      },
      bold: function (k) { return names[k] === 1; },
      visible: function (k) { return visible[k]; },
      spots: aroundSpots,
      colors: function () { return colors; },
    }));
    shown.global = labels;

    /* Links of one node: drawn on demand when the graph is too big to draw them all. */
    var shownEdges = [];
    function showLinks(k) {
      if (data.drawEdges) return;
      var mine = k === null ? [] : links[k].slice(0, data.hoverEdges || 400);
      edges.remove(shownEdges.filter(function (e) { return mine.indexOf(e) < 0; }));
      edges.update(mine.map(edgeItem));
      shownEdges = mine;
    }
    var lit = [];
    function light(k) {
      var next = k === null ? [] : [k].concat(neighboursOf(links, data.edges, k)).slice(0, 2000);
      lit.forEach(function (j) { litSet[j] = 0; });
      next.forEach(function (j) { litSet[j] = 1; });
      var changes = [];
      lit.forEach(function (j) { if (next.indexOf(j) < 0) changes.push(change(j, { borderWidth: 1 })); });
      next.forEach(function (j) { changes.push(change(j, { borderWidth: 3 })); });
      nodes.update(changes);
      lit = next;
    }
    /* vis-network gives a node its group's colour again on any update that has none. */
    function change(k, item) {
      item.id = k;
      var c = colorOf(k);
      if (c) item.color = c;
      return item;
    }
    function lines(k, touch) {
      var c = community[k];
      return nodeLines(data, k, data.folders[N.folder[k]], c >= 0 ? N.title[C.name[c]] : "", touch);
    }
    function pointAt(k) {
      var p = network.canvasToDOM(network.getPositions([k])[k]);
      return { x: p.x, y: p.y + (N.size[k] || 5) * network.getScale() };
    }

    var finger = fingerWatch(canvas);
    network.on("hoverNode", function (params) {
      if (finger()) return;
      hovered = params.node;
      reorder();
      showLinks(params.node);
      light(params.node);
      tip.show(lines(params.node, false), params.pointer.DOM);
      status.textContent = lines(params.node, false).slice(0, 2).join(" · ");
      network.redraw();
    });
    network.on("blurNode", function () {
      if (finger()) return;
      hovered = null;
      reorder();
      tip.hide();
      showLinks(focused);
      light(focused);
      showStatus();
      network.redraw();
    });
    edgeTips(network, data, tip, finger);
    canvas.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "touch") return;
      tip.hide();
      showStatus();
    });
    network.on("click", function (params) {
      var touch = isTouch(params);
      panel.hide();
      if (params.nodes.length) {
        var k = params.nodes[0];
        if (touch && focused !== k) { // a first tap shows the node; a second opens it
          focus(k, false);
          tip.show(lines(k, true), pointAt(k));
        } else {
          go(N.url[k]);
        }
      } else if (params.edges.length) {
        var edge = params.edges[0];
        tip.hide();
        if ((data.moments || {})[edge]) panel.show(data, edge, params.pointer.DOM);
        else if (touch) tip.show(edgeLines(data, edge), params.pointer.DOM);
      } else {
        tip.hide();
        clearFocus();
      }
    });

    function focus(k, move) {
      focused = k;
      reorder();
      showLinks(k);
      light(k);
      network.selectNodes([k]);
      api.focused = k;
      if (move === false) { network.redraw(); return; }
      var scale = Math.min(Math.max(network.getScale(), 0.7), 1.5);
      network.focus(k, { scale: scale, animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    }
    function clearFocus() {
      focused = null;
      api.focused = null;
      reorder();
      showLinks(null);
      light(null);
      network.unselectAll();
      network.redraw();
    }
    parts.box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { panel.hide(); tip.hide(); clearFocus(); }
    });

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
        var found = folded[k];
        if (found.some(function (s) { return s.indexOf(q) === 0; })) starts.push(k);
        else if (contains.length < 10 && found.some(function (s) { return s.indexOf(q) > 0; })) contains.push(k);
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

    function select(name, label, values, texts) {
      var box = el("select", "ng-graph-filter");
      box.name = name;
      box.setAttribute("aria-label", label);
      if (!texts) {
        box.appendChild(el("option", null, label));
        box.options[0].value = "";
      }
      values.forEach(function (value, k) {
        var option = el("option", null, texts ? texts[k] : value || "(top folder)");
        option.value = texts ? value : String(k);
        box.appendChild(option);
      });
      bar.appendChild(box);
      return box;
    }
    var colorBox = null;
    if (C.size.length >= 2) {
      colorBox = select("color", "Colour by", ["community", "kind"], ["Colour: communities", "Colour: kinds"]);
      colorBox.value = colorBy;
      colorBox.addEventListener("change", function () { recolor(colorBox.value); });
    }
    var tagBox = data.tags.length ? select("tag", "All tags", data.tags) : null;
    var folderBox = data.folders.length > 1 ? select("folder", "All folders", data.folders) : null;
    if (tagBox) tagBox.addEventListener("change", applyFilters);
    if (folderBox) folderBox.addEventListener("change", applyFilters);

    /* The communities, named by their most linked note: a key over the map. */
    var key = el("details", "ng-graph-key");
    var summary = el("summary", null, "Communities");
    key.appendChild(summary);
    var list = el("ol", "ng-graph-communities");
    key.appendChild(list);
    C.name.slice(0, LEGEND).forEach(function (k, c) {
      var li = el("li");
      var button = el("button", "ng-graph-community");
      button.type = "button";
      button.setAttribute("data-community", String(c));
      button.title = N.title[k] + " (" + plural(C.size[c], "node") + ")";
      var swatch = el("span", "ng-swatch ng-swatch--community");
      swatch.setAttribute("data-color", String(C.color[c] % PALETTE));
      button.appendChild(swatch);
      button.appendChild(el("span", "ng-graph-community-name", shorten(N.title[k], 34)));
      button.appendChild(el("span", "ng-graph-community-size", String(C.size[c])));
      button.addEventListener("click", function () {
        var ids = [];
        for (var j = 0; j < n; j++) if (community[j] === c && visible[j]) ids.push(j);
        focus(k, false);
        network.fit({ nodes: ids, animation: { duration: 300, easingFunction: "easeInOutQuad" } });
      });
      li.appendChild(button);
      list.appendChild(li);
    });
    if (C.name.length > LEGEND) list.appendChild(el("li", "ng-graph-community-more", "+ " + (C.name.length - LEGEND) + " smaller"));
    if (C.name.length) parts.box.appendChild(key);
    if (window.matchMedia("(min-width: 60em)").matches) key.open = true;

    function recolor(by) {
      colorBy = by;
      container.setAttribute("data-ng-color-by", by);
      key.hidden = by !== "community";
      var changes = [];
      for (var k = 0; k < n; k++) changes.push({ id: k, color: colorOf(k) || null });
      nodes.update(changes);
    }
    container.setAttribute("data-ng-color-by", colorBy);
    key.hidden = colorBy !== "community";

    function applyFilters() {
      var tag = tagBox && tagBox.value !== "" ? Number(tagBox.value) : null;
      var folder = folderBox && folderBox.value !== "" ? data.folders[Number(folderBox.value)] : null;
      var changes = [];
      for (var k = 0; k < n; k++) {
        var f = data.folders[N.folder[k]];
        var on = kindOn[kinds[N.kind[k]]] &&
          (tag === null || N.tags[k].indexOf(tag) >= 0) &&
          (folder === null || f === folder || (folder !== "" && f.indexOf(folder + "/") === 0));
        if (on !== visible[k]) { visible[k] = on; changes.push(change(k, { hidden: !on })); }
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
      var next = styleOptions(colors);
      network.setOptions({ groups: next.groups, edges: next.edges });
      var changes = [];
      for (var k = 0; k < n; k++) {
        var c = colorOf(k);
        if (c) changes.push({ id: k, color: c });
      }
      if (changes.length) nodes.update(changes);
      var faded = edges.getIds({ filter: function (item) { return faint(item.id); } });
      edges.update(faded.map(function (e) { return { id: e, color: faintColor() }; }));
      network.redraw();
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
    var state = { destroyed: false, network: null, observer: null, tip: null, labels: null };
    var data;
    try { data = JSON.parse(section.getAttribute("data-ng-local")); } catch (error) { return function () {}; }
    loadVis().then(function (vis) { if (!state.destroyed) drawLocal(section, data, vis, state); });
    return function () {
      state.destroyed = true;
      if (state.observer) state.observer.disconnect();
      if (state.tip) state.tip.forget();
      if (state.network) state.network.destroy();
      if (api.local === state.network) api.local = null;
      if (shown.local === state.labels) shown.local = null;
    };
  }

  /* Rings around the page's node, fitted to the canvas: ellipses as wide as the labels
   * beside them allow, the outer ring at the edge, one ring per link away. On a narrow
   * screen the rings become a tall, thin ellipse: two columns of nodes, labelled outwards. */
  function ringGeometry(width, height, depth, narrow) {
    var rx = narrow ? (depth > 1 ? 70 : 36) : Math.max(60, width / 2 - Math.min(0.3 * width, 240) - 10);
    var side = width / 2 - rx - 10;
    var ry = Math.max(40, height / 2 - 24);
    var radii = [[0, 0]];
    var inner = depth > 1 ? 0.58 : 1; // the first ring, when a second one is out
    for (var d = 1; d <= depth; d++) {
      var f = d === depth ? 1 : inner * d;
      radii.push([rx * f, ry * f]);
    }
    return { radii: radii, side: side };
  }

  function drawLocal(section, data, vis, state) {
    var N = data.nodes, n = N.title.length, kinds = data.kinds;
    var G = data.groups || { color: [], name: [] };
    section.hidden = false;
    section.textContent = "";
    var head = el("div", "ng-local-head");
    head.appendChild(el("h2", "ng-local-title", "Local graph"));
    var expand = el("button", "md-button ng-local-expand");
    expand.type = "button";
    var deeper = N.depth.some(function (d) { return d > data.depth; });
    head.appendChild(expand);
    section.appendChild(head);
    var parts = stage(section, "ng-local-canvas");
    var canvas = parts.canvas;
    var note = el("p", "ng-local-note");
    section.appendChild(note);
    var tip = (state.tip = Tooltip(parts.box));
    var panel = MomentsPanel(parts.box);
    applyKindColors(section, data);
    var colors = palette(section, data);
    var depth = data.depth;
    var colorBy = data.colorBy || "kind";
    var angle = N.x.map(function (x, k) { return Math.atan2(N.y[k], x); });
    var custom = N.folder.map(function (folder) { return folderColor(data.folderColors, folder); });

    function colorOf(k) {
      if (colorBy === "community") {
        var g = N.group ? N.group[k] : -1;
        return nodeColor(g >= 0 ? colors.communities[G.color[g] % PALETTE] : colors.other, colors);
      }
      return custom[k] ? nodeColor(custom[k], colors) : undefined;
    }
    function radius(k) {
      return k === 0 ? 11 : Math.min(10, 3.5 + 1.1 * Math.log2(1 + (N.links ? N.links[k] : 1)));
    }
    function shownCount() { return N.depth.filter(function (d) { return d <= depth; }).length; }
    function isNarrow() { return section.clientWidth < 600; }
    function canvasHeight() {
      var narrow = isNarrow();
      var wanted = narrow ? 120 + shownCount() * 12 : 170 + shownCount() * 7;
      return Math.round(Math.max(300, Math.min(wanted, 680, 0.85 * window.innerHeight)));
    }
    canvas.style.height = canvasHeight() + "px";
    var geometry = null;
    function positions() {
      geometry = ringGeometry(canvas.clientWidth, canvas.clientHeight, depth, isNarrow());
      var out = [];
      for (var k = 0; k < n; k++) {
        var d = Math.min(N.depth[k], depth), r = geometry.radii[d] || [0, 0];
        // vis-network gives a node its group's colour again on any update that has none.
        var item = { id: k, x: r[0] * Math.cos(angle[k]), y: r[1] * Math.sin(angle[k]), hidden: N.depth[k] > depth };
        var color = colorOf(k);
        if (color) item.color = color;
        out.push(item);
      }
      return out;
    }
    var items = positions().map(function (p, k) {
      p.size = radius(k);
      p.group = kinds[N.kind[k]];
      if (k === 0) p.borderWidth = 4;
      return p;
    });
    var everywhere = data.faintAbove || 50;
    function faint(e) {
      return N.links && (N.links[data.edges[2 * e]] > everywhere || N.links[data.edges[2 * e + 1]] > everywhere);
    }
    function faintColor() { return { color: colors.faint, highlight: colors.highlight, hover: colors.highlight }; }
    var edgeItems = [];
    for (var e = 0; e < data.edges.length / 2; e++) {
      var edge = { id: e, from: data.edges[2 * e], to: data.edges[2 * e + 1] };
      if (faint(e)) edge.color = faintColor();
      edgeItems.push(edge);
    }
    var edgeSet = new vis.DataSet(edgeItems);
    var nodes = new vis.DataSet(items);
    var style = styleOptions(colors);
    var options = {
      autoResize: true,
      physics: { enabled: false },
      layout: { improvedLayout: false },
      interaction: {
        hover: true, zoomView: true, dragView: true, dragNodes: false, tooltipDelay: 3600000, keyboard: false,
        zoomSpeed: 0.6,
      },
      nodes: { shape: "dot", borderWidth: 1 },
      edges: {
        width: 0.8, hoverWidth: 1.2, selectionWidth: 1.5, smooth: false,
        arrows: { to: { enabled: true, scaleFactor: 0.4 } }, color: style.edges.color,
      },
      groups: style.groups,
    };
    // The wheel scrolls the page (a graph under the text must not trap it); ctrl + wheel
    // (a touchpad's pinch) zooms.
    canvas.addEventListener("wheel", function (event) { if (!event.ctrlKey) event.stopPropagation(); }, true);
    var network = new vis.Network(canvas, { nodes: nodes, edges: edgeSet }, options);
    state.network = network;
    api.local = network;
    // A finger sliding up or down scrolls the page past the graph (vis-network would take it
    // to pan); two fingers pinch to zoom, sideways pans.
    canvas.querySelectorAll("canvas").forEach(function (c) { c.style.touchAction = "pan-y"; });
    function centre() { network.moveTo({ position: { x: 0, y: 0 }, scale: 1, animation: false }); }
    centre();

    /* Labels: the page's node first and larger, then the first ring, the most linked first;
     * each beside its node on the side away from the centre, cut to the room it has. */
    var hovered = null, tapped = null;
    var base = [];
    for (var k = 0; k < n; k++) base.push(k);
    base.sort(function (a, b) {
      return (a === 0 ? -1 : 0) - (b === 0 ? -1 : 0) || N.depth[a] - N.depth[b] ||
        (N.links ? N.links[b] - N.links[a] : 0) || a - b;
    });
    var fitted = {};
    var measure = document.createElement("canvas").getContext("2d");
    function fit(k) { // a ring node's label, cut to the room beside its node
      var font = labelFont(k);
      var room = geometry.side - 12;
      var key = k + ":" + Math.round(room);
      if (fitted[key] === undefined) {
        measure.font = font + "px " + FACE;
        var text = shorten(N.title[k], data.labelChars || 40);
        while (text.length > 8 && measure.measureText(text).width > room) text = shorten(text, text.length - 2);
        fitted[key] = text;
      }
      return fitted[key];
    }
    function labelFont(k) {
      if (isNarrow()) return 12;
      return k === 0 ? 15 : Math.max(12, Math.min(14, N.font[k] - 1));
    }
    function spots(k, x, y, r, w, h) {
      var below = [x - w / 2, y + r + 4], above = [x - w / 2, y - r - h - 4];
      var right = [x + r + 5, y - h / 2], left = [x - r - w - 5, y - h / 2];
      if (k === 0) return [below, above, right, left];
      var cos = Math.cos(angle[k]), down = Math.sin(angle[k]) >= 0;
      if (Math.abs(cos) >= 0.4) return cos > 0 ? [right, down ? below : above, left] : [left, down ? below : above, right];
      return down ? [below, right, left, above] : [above, right, left, below];
    }
    var visibleNode = function (k) { return N.depth[k] <= depth; };
    var order = base;
    function reorder() {
      var first = [hovered, tapped].filter(function (k, j, all) { return k !== null && all.indexOf(k) === j; });
      order = first.concat(base.filter(function (k) { return first.indexOf(k) < 0; }));
    }
    var labels = (state.labels = Labels(network, canvas, {
      order: function () { return order; },
      forced: function (k) { return k === hovered || k === tapped || k === 0; },
      // Labels keep off every node: with two rings out, a first ring's label that would
      // cover a node of the outer ring goes above or below its node, or waits for the pointer.
      marked: function () { return true; },
      text: fit,
      // The page's node is marked by a ring; where the rings are too narrow for its title
      // between them, the page's own heading names it. Elsewhere it wraps between them.
      full: function (k) { return k === 0 && isNarrow() ? "" : N.title[k]; },
      room: function (k) { return k === 0 ? 2 * geometry.radii[1][0] - 30 : Infinity; },
      font: labelFont,
      bold: function (k) { return k === 0; },
      visible: visibleNode,
      spots: spots,
      colors: function () { return colors; },
    }));
    labels.nodes = function () {
      return N.title.filter(function (title, k) { return N.depth[k] <= depth; });
    };
    shown.local = labels;

    /* The page's node: a ring around it, in the highlight colour. */
    network.on("beforeDrawing", function (ctx) {
      var body = network.body.nodes[0];
      if (!body) return;
      ctx.save();
      ctx.beginPath();
      ctx.arc(body.x, body.y, radius(0) + 6, 0, 2 * Math.PI);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = colors.highlight;
      ctx.globalAlpha = 0.55;
      ctx.stroke();
      ctx.restore();
    });

    function relayout() {
      canvas.style.height = canvasHeight() + "px";
      network.setSize("100%", canvas.style.height);
      nodes.update(positions());
      centre();
    }
    network.on("resize", function () {
      var next = ringGeometry(canvas.clientWidth, canvas.clientHeight, depth, isNarrow());
      if (!geometry || Math.abs(next.radii[1][0] - geometry.radii[1][0]) > 1 || Math.abs(next.radii[1][1] - geometry.radii[1][1]) > 1) {
        nodes.update(positions());
        centre();
      }
    });

    function describe() {
      var shownNodes = shownCount() - 1;
      var hidden = (data.hidden || []).slice(0, depth).reduce(function (a, b) { return a + b; }, 0);
      var text = plural(shownNodes, "linked node");
      if (hidden) text += " · " + hidden + " more not shown (the most linked are)";
      note.textContent = text + " · click a node to open it";
      expand.textContent = depth > data.depth ? "Show less" : "Show " + (data.depth + 1) + " links away";
      expand.hidden = !deeper;
    }
    expand.addEventListener("click", function () {
      depth = depth > data.depth ? data.depth : data.depth + 1;
      relayout();
      describe();
    });
    describe();

    function lines(k, touch) {
      var g = N.group ? N.group[k] : -1;
      return nodeLines(data, k, N.folder[k], g >= 0 ? G.name[g] : "", touch);
    }
    var finger = fingerWatch(canvas);
    network.on("hoverNode", function (params) {
      if (finger()) return;
      hovered = params.node;
      reorder();
      tip.show(lines(params.node, false), params.pointer.DOM);
      network.redraw();
    });
    network.on("blurNode", function () {
      if (finger()) return;
      hovered = null;
      reorder();
      tip.hide();
      network.redraw();
    });
    edgeTips(network, data, tip, finger);
    canvas.addEventListener("pointerleave", function (event) { if (event.pointerType !== "touch") tip.hide(); });
    network.on("click", function (params) {
      var touch = isTouch(params);
      panel.hide();
      if (params.nodes.length) {
        var k = params.nodes[0];
        if (touch && tapped !== k) {
          tapped = k;
          reorder();
          var p = network.canvasToDOM(network.getPositions([k])[k]);
          tip.show(k === 0 ? nodeLines(data, k, N.folder[k], "", false) : lines(k, true), { x: p.x, y: p.y + radius(k) });
          network.redraw();
        } else if (k !== 0) {
          go(N.url[k]);
        }
      } else if (params.edges.length) {
        tip.hide();
        if ((data.moments || {})[params.edges[0]]) panel.show(data, params.edges[0], params.pointer.DOM);
        else if (touch) tip.show(edgeLines(data, params.edges[0]), params.pointer.DOM);
      } else {
        tip.hide();
        tapped = null;
        reorder();
        network.redraw();
      }
    });
    state.observer = watchPalette(function () {
      colors = palette(section, data);
      var next = styleOptions(colors);
      network.setOptions({ groups: next.groups, edges: next.edges });
      var changes = [];
      for (var j = 0; j < n; j++) {
        var c = colorOf(j);
        if (c) changes.push({ id: j, color: c });
      }
      if (changes.length) nodes.update(changes);
      var faded = edgeSet.getIds({ filter: function (item) { return faint(item.id); } });
      edgeSet.update(faded.map(function (id) { return { id: id, color: faintColor() }; }));
      network.redraw();
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
