// The calculator page starts its Python worker here, first in <head>, before the styles and the
// glue: the runtime's downloads then begin with the page, in parallel (README "What loads").
// The worker fetches every runtime file itself, so none passes through the page's main thread,
// and starts Python once this page has loaded (the "go" message), not beside its scripts.
// On a first visit the worker runs from the copy of its code that the page carries (the
// <script type="text/plain"> before this one), so its requests need not wait for worker.mjs to
// arrive; a page that a service worker controls (a return visit, or offline) runs worker.mjs,
// which that service worker keeps for when the network is gone (a blob: worker is not covered
// by it in every browser). A browser or host that refuses a worker made from that copy gets
// worker.mjs too.
// engine.mjs adopts this worker and handles the messages kept here meanwhile; without one (an
// old browser, or a page reached by instant navigation, whose head scripts do not run) it
// starts its own. The settings are the widget's data-* attributes, copied by the build into the
// <meta name="gc-start"> just before this script (so this script's text, and its CSP hash, never
// change from build to build).
(function (meta) {
  if (!window.Worker || !meta) return;
  var settings = JSON.parse(meta.content);
  var url = function (path) { return new URL(path, window.location.href).href; };
  var boot = { type: "boot", pkg: settings.pkg, waitForPage: true };
  ["worker", "runtime", "lock", "stdlib", "stdlibRest"].forEach(function (key) { boot[key] = url(settings[key]); });
  var started = { boot: boot, events: [] };
  started.keep = function (event) { started.events.push(event); };
  var start = function (address) {
    try {
      return new Worker(address, { type: "module" });
    } catch {
      return null;
    }
  };
  var source = document.getElementById("gc-worker-source");
  var controlled = navigator.serviceWorker && navigator.serviceWorker.controller;
  var copy = null;
  try {
    if (source && !controlled) copy = URL.createObjectURL(new Blob([source.textContent], { type: "text/javascript" }));
  } catch {
    copy = null;
  }
  var fromCopy = copy && start(copy);
  if (fromCopy) fromCopy.addEventListener("message", function () { URL.revokeObjectURL(copy); }, { once: true });
  else if (copy) URL.revokeObjectURL(copy);
  started.worker = fromCopy || start(boot.worker);
  if (!started.worker) return; // engine.mjs starts one (and shows why, if that fails too)
  started.worker.addEventListener("message", started.keep);
  started.worker.addEventListener("error", started.keep);
  started.worker.postMessage(boot);
  window.addEventListener("load", function () {
    started.worker.postMessage({ type: "go" });
  }, { once: true });
  if (window.performance && performance.mark) performance.mark("gc-worker-created");
  window.gcStartedWorker = started;
})(document.querySelector('meta[name="gc-start"]'));

// Nothing else competes for the line before the first answer: the theme's search index (half a
// megabyte, which Material's script requests with XMLHttpRequest as it starts, and the search
// worker's language files that follow it) waits until the calculator has answered or failed
// (its "gc-answered" event) or the reader opens the search. Only that one request is held, and
// XMLHttpRequest is given back as it was once it has gone.
(function () {
  if (!window.XMLHttpRequest) return;
  var proto = XMLHttpRequest.prototype;
  var open = proto.open;
  var send = proto.send;
  var held = typeof WeakSet === "function" ? new WeakSet() : null;
  var waiting = [];
  if (!held) return;
  var release = function () {
    if (!waiting) return;
    proto.open = open;
    proto.send = send;
    var go = waiting;
    waiting = null;
    go.forEach(function (run) { run(); });
  };
  proto.open = function (method, address) {
    var path = new URL(String(address), window.location.href).pathname;
    if (/\/search\/search_index\.json$/.test(path)) held.add(this);
    else held.delete(this);
    return open.apply(this, arguments);
  };
  proto.send = function () {
    var request = this;
    var args = arguments;
    if (!waiting || !held.has(request)) return send.apply(request, args);
    waiting.push(function () {
      try {
        send.apply(request, args);
      } catch {
        // the theme gave the request up meanwhile
      }
    });
  };
  window.addEventListener("gc-answered", release, { once: true });
  var searching = function (event) {
    var target = event.target;
    if (target && target.closest && (target.id === "__search" || target.closest("form[name=search], .md-search"))) release();
  };
  document.addEventListener("focusin", searching);
  document.addEventListener("change", searching);
  document.addEventListener("click", searching);
})();
