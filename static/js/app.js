// Smart Inventory browser glue. Loaded after htmx with `defer`; no inline
// scripts anywhere (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  // csrfToken reads the token from the <meta name="csrf-token"> that every
  // page renders (re-read on each request, so a token rotated at login is
  // picked up without a reload).
  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }

  // Every htmx request that is not a GET carries the CSRF token header.
  document.addEventListener("htmx:configRequest", function (evt) {
    var verb = (evt.detail.verb || "get").toLowerCase();
    if (verb !== "get" && verb !== "head") {
      evt.detail.headers["X-CSRF-Token"] = csrfToken();
    }
  });

  // Responses with errors: the server's error panel (it says where it goes
  // with HX-Retarget: the #flash-area) and 400 without it (a form with
  // field errors) are swapped like a success; other errors (from something
  // in front of the server) replace the #flash-area, instead of failing
  // silently.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr, status = xhr.status;
    if (status >= 400 && (xhr.getResponseHeader("HX-Retarget") || status === 400)) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    } else if (status >= 400) {
      var area = document.getElementById("flash-area");
      if (area) {
        evt.detail.shouldSwap = true;
        evt.detail.isError = false;
        evt.detail.target = area;
        evt.detail.swapOverride = "innerHTML";
      }
    }
  });

  // Live updates: a page with data-live-events="<url>" (the dashboard)
  // listens to that Server-Sent Events stream and fires smartinv:changed
  // on <body> for each "changed" event; its fragments' hx-trigger listens
  // for it (and still polls slowly, in case the stream does not get
  // through). EventSource reconnects by itself after a dropped
  // connection; a refused one (503 when the server has too many streams)
  // is retried after a minute. The stream is closed when the page is left
  // (pagehide), and opened again, with a refresh, when it comes back from
  // the back/forward cache.
  var live = null;
  var liveRetry = 0;

  function changed() {
    if (window.htmx) window.htmx.trigger(document.body, "smartinv:changed");
  }

  function openLive() {
    var el = document.querySelector("[data-live-events]");
    if (!el || !window.EventSource || live) return;
    live = new EventSource(el.getAttribute("data-live-events"));
    live.addEventListener("changed", changed);
    live.addEventListener("error", function () {
      if (live && live.readyState === EventSource.CLOSED) {
        closeLive();
        liveRetry = window.setTimeout(openLive, 60000);
      }
    });
  }

  function closeLive() {
    window.clearTimeout(liveRetry);
    if (live) {
      live.close();
      live = null;
    }
  }

  window.addEventListener("pagehide", closeLive);
  window.addEventListener("pageshow", function (evt) {
    if (evt.persisted) {
      openLive();
      changed();
    }
  });
  openLive();

  // A flash message can be dismissed with its close button.
  document.addEventListener("click", function (evt) {
    var btn = evt.target.closest("[data-dismiss]");
    if (btn) {
      var box = btn.closest("[data-flash]");
      if (box) box.remove();
    }
  });
})();
