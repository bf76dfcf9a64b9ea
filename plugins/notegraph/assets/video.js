/* notegraph video moments.
 *
 * A timestamp link (a.ng-stamp) is a plain link to the moment on the video host, so it works
 * with JavaScript off. Here, when the page has the player for that link's video, a click plays
 * the page's player from that moment instead of leaving the page. Nothing is requested from
 * the video host until the reader clicks: the first click creates the privacy-enhanced
 * YouTube embed at the right start; later clicks seek it through the IFrame API's postMessage
 * protocol (no external script is loaded). A click before the embed has loaded is kept and
 * sent once it has (and again when the player first answers, in case it was not listening
 * yet). If the embed does not answer soon after it loaded (offline, blocked: the browser then
 * loads an error page into the frame), or has not loaded at all after READY_TIMEOUT_MS, the
 * player shows the plain link instead. Self-hosted videos (<video>) are sought directly.
 * One delegated listener serves every page, so it survives Material's instant navigation.
 */
(function () {
  "use strict";

  var HOST = "https://www.youtube-nocookie.com";
  var ANSWER_AFTER_LOAD_MS = 1500; // a loaded embed answers "listening" within a few 100 ms
  var READY_TIMEOUT_MS = 8000; // the embed never loaded

  function playerFor(key) {
    var players = document.querySelectorAll(".ng-player");
    for (var i = 0; i < players.length; i++) {
      if (players[i].getAttribute("data-video") === key) return players[i];
    }
    return null;
  }

  function command(frame, func, args) {
    if (!frame.contentWindow) return;
    var message = { event: "command", func: func, args: args || [], id: 1, channel: "widget" };
    frame.contentWindow.postMessage(JSON.stringify(message), HOST);
  }

  function timeLabel(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return [h, m, s].map(function (n) { return (n < 10 ? "0" : "") + n; }).join(":");
  }

  /* The plain link, at the moment last asked for, when the embed does not answer. */
  function fallback(player) {
    if (player.getAttribute("data-ready") === "true") return;
    var id = player.getAttribute("data-youtube"), seconds = player.ngMoment || 0;
    var note = player.querySelector(".ng-player-fallback");
    if (!note) {
      note = document.createElement("p");
      note.className = "ng-player-fallback";
      player.appendChild(note);
    }
    var link = document.createElement("a");
    link.href = "https://www.youtube.com/watch?v=" + encodeURIComponent(id) + "&t=" + seconds + "s";
    link.textContent = "open it on YouTube at " + timeLabel(seconds);
    note.replaceChildren(document.createTextNode("The player did not load here; "), link, ".");
  }

  function seek(frame, seconds) {
    command(frame, "seekTo", [seconds, true]);
    command(frame, "playVideo");
  }

  function playYouTube(player, seconds) {
    var frame = player.querySelector("iframe");
    player.ngMoment = seconds;
    if (frame) {
      if (frame.ngLoaded) seek(frame, seconds);
      if (player.getAttribute("data-ready") !== "true") frame.ngPending = seconds; // resent
      if (player.querySelector(".ng-player-fallback")) fallback(player);
      return;
    }
    var id = player.getAttribute("data-youtube");
    frame = document.createElement("iframe");
    frame.src = HOST + "/embed/" + encodeURIComponent(id) + "?enablejsapi=1&autoplay=1&start=" +
      seconds + "&origin=" + encodeURIComponent(location.origin);
    frame.title = "Video player";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.setAttribute("allowfullscreen", "");
    frame.ngPending = null;
    frame.addEventListener("load", function () {
      frame.ngLoaded = true;
      if (frame.contentWindow) {
        frame.contentWindow.postMessage(JSON.stringify({ event: "listening", id: 1, channel: "widget" }), HOST);
      }
      if (frame.ngPending !== null) seek(frame, frame.ngPending);
      window.setTimeout(function () { fallback(player); }, ANSWER_AFTER_LOAD_MS);
    });
    player.classList.add("ng-player--active");
    player.replaceChildren(frame);
    window.setTimeout(function () { fallback(player); }, READY_TIMEOUT_MS);
  }

  function playFile(player, seconds) {
    var video = player.querySelector("video");
    if (!video) return;
    video.currentTime = seconds;
    var playing = video.play();
    if (playing && playing.catch) playing.catch(function () {});
  }

  function play(player, seconds) {
    if (player.hasAttribute("data-youtube")) playYouTube(player, seconds);
    else playFile(player, seconds);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== HOST) return;
    var frames = document.querySelectorAll(".ng-player iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        var player = frames[i].closest(".ng-player");
        var first = player.getAttribute("data-ready") !== "true";
        player.setAttribute("data-ready", "true");
        var note = player.querySelector(".ng-player-fallback");
        if (note) note.remove();
        if (first && frames[i].ngPending !== null) seek(frames[i], frames[i].ngPending);
        frames[i].ngPending = null;
      }
    }
  });

  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var start = target.closest(".ng-player-start");
    if (start) {
      play(start.closest(".ng-player"), 0);
      return;
    }
    var link = target.closest("a.ng-stamp");
    if (!link) return;
    var player = playerFor(link.getAttribute("data-video"));
    if (!player) return; // no player for this video here: follow the link
    event.preventDefault();
    event.stopPropagation(); // keep Material's instant navigation out of it
    play(player, parseInt(link.getAttribute("data-t"), 10) || 0);
  }, true);

  function reveal() {
    var buttons = document.querySelectorAll(".ng-player-start");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(reveal);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  } else {
    reveal();
  }
})();
