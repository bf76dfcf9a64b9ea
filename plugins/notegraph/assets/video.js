/* notegraph video moments: one docked player for the whole site.
 *
 * A timestamp ("stamp") is a plain link to the moment on the video host, so it works with
 * JavaScript off. Here, a click on a stamp anywhere (a note, a topic, a video page, a
 * backlink, the graph's edge panel) plays that moment in a player docked in view: a corner
 * on wide screens, a bottom sheet on phones. The first click creates the player (nothing is
 * asked of the video host before it); later clicks seek the same player: the YouTube IFrame
 * API's `seekTo` (sent as postMessage commands, the API's own wire protocol, so no script of
 * the host's is loaded), or `currentTime` for a video file. The player lives in <body>,
 * outside the part of the page Material's instant navigation swaps
 * ([data-md-component=container]), so it keeps playing while the reader walks the site;
 * where Material cannot navigate instantly itself (no `site_url`, hence an empty sitemap),
 * links are handed to its location$ while a video is loaded.
 *
 * The dock shows the video's title and the note the moment comes from, marks that moment's
 * stamps on the page (class ng-stamp--playing), and steps through a queue: the moments of
 * the page the reader clicked on, video by video, each in time order ("next moment").
 *
 * The contract with other scripts (graph.js renders its edge moments this way):
 *   - any <a class="ng-stamp" data-video="yt:ID|file:SRC" data-t="SECONDS" href="…">,
 *     present or added later, plays in the dock (one delegated listener). Its note and
 *     video are named by the closest ancestor with data-ng-note / data-ng-note-href and
 *     data-ng-video-title / data-ng-video-href, else by the page's .ng-player of that video.
 *     An <a class="ng-graph-moment" href="https://www.youtube.com/watch?v=ID&t=Ns"> counts too.
 *   - window.notegraphVideo.play({video, t, note, noteHref, title, titleHref, src}) plays
 *     a moment; document fires "notegraph:moment" (detail: the moment, or null when closed).
 */
(function () {
  "use strict";

  var HOST = "https://www.youtube-nocookie.com";
  var ANSWER_AFTER_LOAD_MS = 1500; // a loaded embed answers "listening" within a few 100 ms
  var READY_TIMEOUT_MS = 8000; // the embed never loaded
  var SEEK_SETTLE_MS = 1500; // time reports right after a seek may still be the old time
  var STAMPS = "a.ng-stamp[data-video][data-t], a.ng-graph-moment[href]";
  var ICONS = {
    prev: "M6 18V6h2v12zm3.5-6L18 6v12z",
    next: "M16 18h2V6h-2M6 18l8.5-6L6 6z",
    play: "M8 5.14v14l11-7z",
    pause: "M14 19h4V5h-4M6 19h4V5H6z",
    collapse: "M7.41 8.58 12 13.17l4.59-4.59L18 10l-6 6-6-6z",
    expand: "M7.41 15.41 12 10.83l4.59 4.58L18 14l-6-6-6 6z",
    close: "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z",
  };

  var dock = null; // the <section> in <body>, or null before the first click and once closed
  var parts = {}; // its elements: title, time, note, screen, fallback and the buttons
  var media = null; // {key, frame, loaded, ready, pending} for YouTube, {key, video} for a file
  var now = null; // the moment playing
  var queue = []; // the moments "next" steps through
  var playing = false;
  var settleUntil = 0;

  /* --- moments ---------------------------------------------------------------------- */

  function clock(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return h ? h + ":" + two(m) + ":" + two(s) : m + ":" + two(s);
  }

  function absolute(href) {
    return href ? new URL(href, location.href).href : "";
  }

  function pagePlayer(key) {
    var players = document.querySelectorAll(".ng-player[data-video]");
    for (var i = 0; i < players.length; i++) {
      if (players[i].getAttribute("data-video") === key) return players[i];
    }
    return null;
  }

  /* What a stamp (or a page's player place) plays, with every URL made absolute: the
   * moment outlives the page it was read from. */
  function momentOf(element, key, seconds) {
    var player = pagePlayer(key);
    var noteOf = element.closest("[data-ng-note]") || (player && player.hasAttribute("data-ng-note") ? player : null);
    var videoOf = element.closest("[data-ng-video-title]") || player;
    var src = "";
    if (key.indexOf("file:") === 0) {
      var source = element.closest(".ng-player") ? element.closest(".ng-player").getAttribute("data-src") : element.getAttribute("href");
      src = absolute((source || "").replace(/#t=.*$/, ""));
    }
    return {
      video: key,
      t: seconds,
      note: noteOf ? noteOf.getAttribute("data-ng-note") : "",
      noteHref: noteOf ? absolute(noteOf.getAttribute("data-ng-note-href")) : "",
      title: videoOf ? videoOf.getAttribute("data-ng-video-title") || "" : "",
      titleHref: videoOf ? absolute(videoOf.getAttribute("data-ng-video-href")) : "",
      src: src,
    };
  }

  /* The moment of a stamp link, or null for a link that is none. */
  function stampMoment(link) {
    if (link.hasAttribute("data-video")) {
      return momentOf(link, link.getAttribute("data-video"), parseInt(link.getAttribute("data-t"), 10) || 0);
    }
    var url;
    try { url = new URL(link.href); } catch (error) { return null; }
    var id = url.searchParams.get("v");
    if (!/(^|\.)youtube\.com$/.test(url.hostname) || !id) return null;
    return momentOf(link, "yt:" + id, parseInt(url.searchParams.get("t") || "0", 10) || 0);
  }

  /* The page's moments: video by video (in the order they first appear), each in time
   * order, each moment once. */
  function pageQueue() {
    var byVideo = {}, order = [], seen = {};
    var links = document.querySelectorAll(STAMPS);
    for (var i = 0; i < links.length; i++) {
      if (dock && dock.contains(links[i])) continue;
      var moment = stampMoment(links[i]);
      if (!moment || seen[moment.video + "@" + moment.t]) continue;
      seen[moment.video + "@" + moment.t] = true;
      if (!byVideo[moment.video]) { byVideo[moment.video] = []; order.push(moment.video); }
      byVideo[moment.video].push(moment);
    }
    var out = [];
    order.forEach(function (key) {
      byVideo[key].sort(function (a, b) { return a.t - b.t; });
      out = out.concat(byVideo[key]);
    });
    return out;
  }

  function place(moment) {
    for (var i = 0; i < queue.length; i++) {
      if (queue[i].video === moment.video && queue[i].t === moment.t) return i;
    }
    return -1;
  }

  /* --- the dock ----------------------------------------------------------------------- */

  function icon(path) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
    shape.setAttribute("d", path);
    svg.appendChild(shape);
    return svg;
  }

  function button(name, shape, label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "ng-dock-" + name;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.appendChild(icon(ICONS[shape]));
    b.addEventListener("click", action);
    return b;
  }

  function setIcon(b, name, label) {
    b.replaceChildren(icon(ICONS[name]));
    b.setAttribute("aria-label", label);
    b.title = label;
  }

  function build() {
    dock = document.createElement("section");
    dock.className = "ng-dock";
    dock.setAttribute("aria-label", "Video player");
    var bar = document.createElement("div");
    bar.className = "ng-dock-bar";
    var info = document.createElement("div");
    info.className = "ng-dock-info";
    parts.title = document.createElement("a");
    parts.title.className = "ng-dock-title";
    var line = document.createElement("p");
    line.className = "ng-dock-now";
    parts.time = document.createElement("span");
    parts.time.className = "ng-dock-time";
    parts.note = document.createElement("a");
    parts.note.className = "ng-dock-note";
    line.append(parts.time, parts.note);
    info.append(parts.title, line);
    var controls = document.createElement("div");
    controls.className = "ng-dock-controls";
    parts.prev = button("prev", "prev", "Previous moment", function () { step(-1); });
    parts.play = button("play", "pause", "Pause", toggle);
    parts.next = button("next", "next", "Next moment", function () { step(1); });
    parts.fold = button("fold", "collapse", "Collapse the player", fold);
    parts.fold.setAttribute("aria-expanded", "true");
    parts.close = button("close", "close", "Close the player", close);
    controls.append(parts.prev, parts.play, parts.next, parts.fold, parts.close);
    bar.append(info, controls);
    parts.screen = document.createElement("div");
    parts.screen.className = "ng-dock-screen";
    parts.fallback = document.createElement("p");
    parts.fallback.className = "ng-player-fallback";
    parts.fallback.hidden = true;
    dock.append(bar, parts.screen, parts.fallback);
    document.body.appendChild(dock);
    document.body.classList.add("ng-docked");
    if (window.ResizeObserver) new ResizeObserver(room).observe(dock);
    room();
  }

  /* Room at the bottom of the page, so that its end can be scrolled out from under the dock. */
  function room() {
    if (dock) document.body.style.setProperty("--ng-dock-height", dock.offsetHeight + "px");
  }

  function render() {
    if (!dock || !now) return;
    var title = now.title || (now.video.indexOf("yt:") === 0 ? "YouTube video" : "Video");
    parts.title.textContent = title;
    if (now.titleHref) parts.title.href = now.titleHref; else parts.title.removeAttribute("href");
    parts.time.textContent = clock(now.t);
    parts.note.textContent = now.note || "";
    parts.note.hidden = !now.note;
    if (now.noteHref) parts.note.href = now.noteHref; else parts.note.removeAttribute("href");
    var at = place(now);
    parts.prev.disabled = at <= 0;
    parts.next.disabled = at < 0 || at >= queue.length - 1;
    setIcon(parts.play, playing ? "pause" : "play", playing ? "Pause" : "Play");
    dock.setAttribute("data-video", now.video);
    dock.setAttribute("data-t", String(now.t));
  }

  function fold() {
    var folded = dock.classList.toggle("ng-dock--collapsed");
    parts.fold.setAttribute("aria-expanded", String(!folded));
    setIcon(parts.fold, folded ? "expand" : "collapse", folded ? "Expand the player" : "Collapse the player");
    room();
  }

  function close() {
    if (media && media.video) media.video.pause();
    media = null;
    now = null;
    queue = [];
    playing = false;
    dock.remove();
    dock = null;
    document.body.classList.remove("ng-docked");
    document.body.style.removeProperty("--ng-dock-height");
    mark();
    announce();
  }

  function step(delta) {
    var at = place(now);
    if (at < 0 || !queue[at + delta]) return;
    go(queue[at + delta]);
  }

  /* --- YouTube and files -------------------------------------------------------------- */

  function command(func, args) {
    if (!media || !media.frame || !media.frame.contentWindow) return;
    var message = { event: "command", func: func, args: args || [], id: 1, channel: "widget" };
    media.frame.contentWindow.postMessage(JSON.stringify(message), HOST);
  }

  function seekYouTube(seconds) {
    settleUntil = Date.now() + SEEK_SETTLE_MS;
    command("seekTo", [seconds, true]);
    command("playVideo");
  }

  /* The plain link, at the moment last asked for, when the embed does not answer. */
  function fallback() {
    if (!media || !media.frame || media.ready || !now) return;
    var id = now.video.slice(3);
    var link = document.createElement("a");
    link.href = "https://www.youtube.com/watch?v=" + encodeURIComponent(id) + "&t=" + now.t + "s";
    link.textContent = "open it on YouTube at " + clock(now.t);
    parts.fallback.replaceChildren(document.createTextNode("The player did not load here; "), link, ".");
    parts.fallback.hidden = false;
  }

  function loadYouTube(moment) {
    var id = moment.video.slice(3);
    var frame = document.createElement("iframe");
    frame.src = HOST + "/embed/" + encodeURIComponent(id) + "?enablejsapi=1&autoplay=1&playsinline=1&start=" +
      moment.t + "&origin=" + encodeURIComponent(location.origin);
    frame.title = "Video player: " + (moment.title || "YouTube video");
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    var loaded = { key: moment.video, frame: frame, loaded: false, ready: false, pending: null };
    frame.addEventListener("load", function () {
      loaded.loaded = true;
      if (frame.contentWindow) {
        frame.contentWindow.postMessage(JSON.stringify({ event: "listening", id: 1, channel: "widget" }), HOST);
      }
      if (media === loaded && loaded.pending !== null) seekYouTube(loaded.pending);
      window.setTimeout(function () { if (media === loaded) fallback(); }, ANSWER_AFTER_LOAD_MS);
    });
    window.setTimeout(function () { if (media === loaded) fallback(); }, READY_TIMEOUT_MS);
    media = loaded;
    playing = true;
    parts.fallback.hidden = true;
    parts.screen.replaceChildren(frame);
  }

  function loadFile(moment) {
    var video = document.createElement("video");
    video.controls = true;
    video.setAttribute("playsinline", "");
    video.preload = "auto";
    video.src = moment.src;
    media = { key: moment.video, video: video };
    parts.fallback.hidden = true;
    parts.screen.replaceChildren(video);
    video.addEventListener("play", function () { playing = true; render(); });
    video.addEventListener("pause", function () { playing = false; render(); });
    video.addEventListener("timeupdate", function () { follow(video.currentTime); });
  }

  function seekFile(seconds) {
    settleUntil = Date.now() + SEEK_SETTLE_MS;
    media.video.currentTime = seconds;
    var started = media.video.play();
    if (started && started.catch) started.catch(function () {});
  }

  function seek(moment) {
    if (media.video) { seekFile(moment.t); return; }
    if (media.ready) seekYouTube(moment.t);
    else {
      media.pending = moment.t; // sent once the player answers
      if (media.loaded) seekYouTube(moment.t);
      if (!parts.fallback.hidden) fallback();
    }
  }

  function toggle() {
    if (!media) return;
    if (media.video) {
      if (media.video.paused) seekFile(media.video.currentTime); else media.video.pause();
      return;
    }
    command(playing ? "pauseVideo" : "playVideo");
    playing = !playing;
    render();
  }

  /* As the video plays on, the moment playing is the queue's last one already reached. */
  function follow(seconds) {
    if (!now || Date.now() < settleUntil) return;
    var best = null;
    for (var i = 0; i < queue.length; i++) {
      if (queue[i].video === media.key && queue[i].t <= seconds + 0.5 && (!best || queue[i].t > best.t)) best = queue[i];
    }
    if (best && best.t !== now.t && Math.abs(seconds - now.t) > 1) {
      now = best;
      render();
      mark();
      announce();
    }
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== HOST || !media || !media.frame || event.source !== media.frame.contentWindow) return;
    var data;
    try { data = typeof event.data === "string" ? JSON.parse(event.data) : event.data; } catch (error) { return; }
    if (!media.ready) {
      media.ready = true;
      parts.fallback.hidden = true;
      if (media.pending !== null) seekYouTube(media.pending);
    }
    media.pending = null;
    var info = data && data.info;
    if (!info) return;
    if (typeof info.playerState === "number" && info.playerState !== 3) {
      playing = info.playerState === 1;
      render();
    }
    if (typeof info.currentTime === "number") follow(info.currentTime);
  });

  /* --- playing a moment --------------------------------------------------------------- */

  function go(moment) {
    if (!dock) build();
    var fresh = !media || media.key !== moment.video;
    now = moment;
    if (fresh) {
      if (moment.video.indexOf("yt:") === 0) loadYouTube(moment);
      else loadFile(moment);
    }
    if (!fresh || media.video) seek(moment);
    render();
    mark();
    announce();
  }

  /* Play `moment`; `from` is the page element clicked (its page gives the queue). */
  function play(moment, from) {
    queue = pageQueue();
    if (place(moment) < 0) queue.push(moment);
    go(moment);
    if (from) uncover(from);
  }

  /* Scroll the clicked stamp out from under the dock (a stamp at the bottom of the page). */
  function uncover(element) {
    if (!dock) return;
    var box = element.getBoundingClientRect(), over = dock.getBoundingClientRect();
    var hidden = box.bottom > over.top && box.top < over.bottom && box.right > over.left && box.left < over.right;
    if (hidden) window.scrollBy({ top: box.bottom - over.top + 16, behavior: "smooth" });
  }

  function announce() {
    var detail = now ? Object.assign({}, now) : null;
    document.dispatchEvent(new CustomEvent("notegraph:moment", { detail: detail }));
  }

  /* Mark the stamps of the moment playing, and the group of a video page that holds them. */
  function mark() {
    var marked = document.querySelectorAll(".ng-stamp--playing, .ng-group--playing");
    for (var i = 0; i < marked.length; i++) {
      marked[i].classList.remove("ng-stamp--playing", "ng-group--playing");
      marked[i].removeAttribute("aria-current");
    }
    if (!now) return;
    var links = document.querySelectorAll(STAMPS);
    for (var j = 0; j < links.length; j++) {
      if (dock && dock.contains(links[j])) continue;
      var moment = links[j].hasAttribute("data-video")
        ? { video: links[j].getAttribute("data-video"), t: parseInt(links[j].getAttribute("data-t"), 10) }
        : stampMoment(links[j]);
      if (!moment || moment.video !== now.video || moment.t !== now.t) continue;
      links[j].classList.add("ng-stamp--playing");
      links[j].setAttribute("aria-current", "true");
      var group = links[j].closest("details.ng-group");
      if (group) group.classList.add("ng-group--playing");
    }
  }

  /* --- clicks ------------------------------------------------------------------------- */

  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var target = event.target instanceof Element ? event.target : null;
    if (!target || (dock && dock.contains(target) && !target.closest(STAMPS))) return;
    var start = target.closest(".ng-player-start");
    if (start) {
      var spot = start.closest(".ng-player");
      var key = spot.getAttribute("data-video");
      if (media && media.key === key) {
        if (dock.classList.contains("ng-dock--collapsed")) fold();
        if (!playing) toggle();
      } else {
        play(momentOf(spot, key, 0), null);
      }
      return;
    }
    var link = target.closest(STAMPS);
    if (!link) return;
    var moment = stampMoment(link);
    if (!moment || (moment.video.indexOf("file:") === 0 && !moment.src)) return; // follow the link
    event.preventDefault();
    event.stopPropagation(); // keep Material's instant navigation out of it
    play(moment, link);
  }, true);

  /* Material navigates instantly only to the pages its sitemap lists, and the sitemap is
   * empty without `site_url`. While a video is loaded, hand the other links to the site's
   * pages to Material's location$ (what its own instant navigation does), so that the page
   * changes and the player stays. */
  function config() {
    var element = document.getElementById("__config");
    try { return element ? JSON.parse(element.textContent) : null; } catch (error) { return null; }
  }

  document.addEventListener("click", function (event) {
    if (!media || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    var settings = config();
    if (!link || link.target || link.hasAttribute("download") || !settings || !window.location$) return;
    if ((settings.features || []).indexOf("navigation.instant") < 0) return;
    var url = new URL(link.href, location.href), base = new URL(settings.base || ".", location.href);
    if (url.origin !== location.origin || url.pathname.indexOf(base.pathname) !== 0) return;
    if (!/(\/|\.html)$/.test(url.pathname) || url.pathname === location.pathname) return;
    event.preventDefault();
    history.replaceState({ x: window.scrollX, y: window.scrollY }, "");
    history.pushState(null, "", url.href);
    window.location$.next(url);
  });

  /* --- every page ----------------------------------------------------------------------- */

  function page() {
    var buttons = document.querySelectorAll(".ng-player-start");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
    mark();
  }

  window.notegraphVideo = { // not window.notegraph: graph.js owns that name
    play: function (moment) {
      var key = String(moment.video), t = Math.max(0, parseInt(moment.t, 10) || 0);
      var full = momentOf(document.body, key, t);
      ["note", "noteHref", "title", "titleHref", "src"].forEach(function (name) {
        if (moment[name]) full[name] = name.slice(-4) === "Href" || name === "src" ? absolute(moment[name]) : String(moment[name]);
      });
      play(full, null);
    },
    current: function () { return now ? Object.assign({}, now) : null; },
  };

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(page);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", page);
  } else {
    page();
  }
})();
