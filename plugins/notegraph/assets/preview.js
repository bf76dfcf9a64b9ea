/* notegraph: link previews.
 *
 * Resting the pointer on a link to a note, topic or video of the site (or reaching it with
 * the keyboard) shows a popover with its title, kind, counts and opening text. Each page's
 * preview is a small JSON file the build writes at preview/<page path>.json; it is fetched
 * once, on demand. Listeners sit on the document, so that pages Material's instant
 * navigation swaps in work too. Every value is set with textContent, never as HTML.
 * Escape, moving away, a click or a navigation closes the popover.
 */
(function () {
  "use strict";

  var SCRIPT = document.currentScript;
  var ROOT = new URL("../../", SCRIPT ? SCRIPT.src : location.href);
  var SECTIONS = ["notes/", "topics/", "videos/"];
  var HOVER_MS = 350;
  var LEAVE_MS = 250;
  var cache = {};
  var box = null;
  var shownFor = null;
  var timer = 0;
  var hideTimer = 0;

  /* The preview's site path for a link, or null for a link elsewhere. */
  function previewPath(link) {
    if (!link.href || link.target === "_blank" || link.hasAttribute("download")) return null;
    if (link.classList.contains("ng-stamp") || link.classList.contains("headerlink")) return null;
    var url;
    try { url = new URL(link.href, location.href); } catch (error) { return null; }
    if (url.origin !== ROOT.origin || url.pathname.indexOf(ROOT.pathname) !== 0) return null;
    var here = new URL(location.href);
    if (url.pathname === here.pathname) return null; // this page (or a heading of it)
    var path = decodeURI(url.pathname.slice(ROOT.pathname.length));
    path = path.replace(/index\.html$/, "").replace(/\.html$/, "").replace(/\/$/, "");
    var section = SECTIONS.filter(function (s) { return path.indexOf(s) === 0; })[0];
    if (!section || path.length <= section.length) return null; // a section's index
    return "preview/" + path + ".json";
  }

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(new URL(path, ROOT).href).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function popover() {
    if (box && document.body.contains(box)) return box;
    box = el("div", "ng-preview md-typeset");
    box.id = "ng-preview";
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    box.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
    box.addEventListener("pointerleave", function () { hideSoon(); });
    document.body.appendChild(box);
    return box;
  }

  function place(link) {
    var rect = link.getBoundingClientRect();
    var gap = 8;
    var width = Math.min(352, window.innerWidth - 16);
    box.style.width = width + "px";
    var left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8));
    box.style.left = left + "px";
    box.style.top = "0px";
    var height = box.offsetHeight;
    var below = rect.bottom + gap;
    var top = below + height <= window.innerHeight - 8 || rect.top - gap - height < 8
      ? below
      : rect.top - gap - height;
    box.style.top = Math.max(8, top) + "px";
  }

  function show(link, data) {
    var node = popover();
    node.textContent = "";
    node.setAttribute("data-ng-kind", data.kind || "");
    node.appendChild(el("p", "ng-preview-kind", data.line || data.kind || ""));
    node.appendChild(el("p", "ng-preview-title", data.title || ""));
    if (data.text) node.appendChild(el("p", "ng-preview-text", data.text));
    node.hidden = false;
    place(link);
    if (shownFor && shownFor !== link) shownFor.removeAttribute("aria-describedby");
    shownFor = link;
    link.setAttribute("aria-describedby", node.id);
  }

  function hide() {
    clearTimeout(timer);
    clearTimeout(hideTimer);
    if (box) box.hidden = true;
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    shownFor = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, LEAVE_MS);
  }

  function want(link, delay) {
    var path = previewPath(link);
    if (!path) return;
    clearTimeout(timer);
    clearTimeout(hideTimer);
    var pending = link;
    timer = setTimeout(function () {
      load(path).then(function (data) {
        if (pending.isConnected && (pending.matches(":hover") || pending === document.activeElement)) {
          show(pending, data);
        }
      }).catch(function () {});
    }, delay);
  }

  function linkOf(target) {
    var link = target && target.closest ? target.closest("a[href]") : null;
    if (!link || !link.closest(".md-content, .md-sidebar")) return null;
    if (box && box.contains(link)) return null;
    return link;
  }

  document.addEventListener("pointerover", function (event) {
    if (event.pointerType === "touch") return;
    var link = linkOf(event.target);
    if (link && link !== shownFor) want(link, HOVER_MS);
    else if (link) clearTimeout(hideTimer);
  });
  document.addEventListener("pointerout", function (event) {
    var link = linkOf(event.target);
    if (!link || link.contains(event.relatedTarget)) return;
    clearTimeout(timer);
    if (link === shownFor) hideSoon();
  });
  document.addEventListener("focusin", function (event) {
    var link = linkOf(event.target);
    // The keyboard's focus only: a tap or click focuses the link it follows, too.
    if (link && keyboardFocus(link)) want(link, 0);
  });
  function keyboardFocus(link) {
    try { return link.matches(":focus-visible"); } catch (error) { return true; }
  }
  document.addEventListener("focusout", function (event) {
    if (linkOf(event.target) === shownFor) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shownFor) hide();
  });
  document.addEventListener("click", function () { hide(); });
  window.addEventListener("scroll", function () { if (shownFor) place(shownFor); }, { passive: true });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { hide(); });
  }
})();
