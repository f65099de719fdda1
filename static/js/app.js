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
  // with HX-Retarget: the #flash-area) and 400 or 409 without it (a form
  // shown again with its field errors) are swapped like a success; other
  // errors (from something in front of the server) replace the
  // #flash-area, instead of failing silently.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr, status = xhr.status;
    if (status >= 400 && (xhr.getResponseHeader("HX-Retarget") || status === 400 || status === 409)) {
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
  // Restock review (/restock): a running count and total of the checked
  // suggestions in the sticky bar, a select-all per supplier (opening and
  // loading a collapsed group first), and a confirmation that names the
  // suppliers before the drafts are created.
  function money(cents) {
    var neg = cents < 0;
    var s = String(Math.abs(Math.round(cents)));
    while (s.length < 3) s = "0" + s;
    var whole = s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (neg ? "-" : "") + whole + "." + s.slice(-2);
  }

  function restockSelection(form) {
    var groups = [];
    form.querySelectorAll("[data-restock-group]").forEach(function (g) {
      var picks = g.querySelectorAll('input[data-testid="pick"]');
      var n = 0, cents = 0;
      picks.forEach(function (p) {
        if (p.checked) {
          n++;
          cents += parseInt(p.getAttribute("data-cents") || "0", 10);
        }
      });
      groups.push({ el: g, name: g.getAttribute("data-supplier-name"), picks: picks, n: n, cents: cents });
    });
    return groups;
  }

  function restockUpdate(form) {
    var groups = restockSelection(form);
    var orders = 0, products = 0, cents = 0;
    groups.forEach(function (g) {
      var label = g.el.querySelector("[data-group-selected]");
      if (label) label.textContent = g.n > 0 ? "· " + g.n + " selected · " + money(g.cents) : "";
      var all = g.el.querySelector("[data-select-all]");
      if (all && g.picks.length > 0 && !g.el.hasAttribute("data-select-pending")) {
        all.checked = g.n === g.picks.length;
        all.indeterminate = g.n > 0 && g.n < g.picks.length;
      }
      if (g.n > 0) orders++;
      products += g.n;
      cents += g.cents;
    });
    var btn = form.querySelector("[data-create-label]");
    if (btn) {
      btn.textContent = orders === 0 ? "Create draft orders" :
        "Create " + orders + (orders === 1 ? " order" : " orders") + " · " + money(cents);
    }
    var summary = form.querySelector('[data-testid="selection-summary"]');
    if (summary) {
      summary.textContent = products === 0 ? "Nothing selected" :
        products + (products === 1 ? " product" : " products") + " from " + orders + (orders === 1 ? " supplier" : " suppliers");
    }
  }

  document.addEventListener("change", function (evt) {
    var form = evt.target.closest("[data-restock-form]");
    if (!form) return;
    if (evt.target.hasAttribute("data-select-all")) {
      var g = evt.target.closest("[data-restock-group]");
      var rows = g.querySelector("[data-group-rows]");
      if (rows && !rows.hasAttribute("data-loaded")) {
        // Load the group first; the selection is applied once it arrives.
        g.setAttribute("data-select-pending", evt.target.checked ? "1" : "0");
        var details = g.querySelector("details");
        if (details) details.open = true;
        return;
      }
      g.querySelectorAll('input[data-testid="pick"]').forEach(function (p) { p.checked = evt.target.checked; });
    }
    restockUpdate(form);
  });

  document.addEventListener("htmx:afterSwap", function (evt) {
    var t = evt.detail.target;
    if (t && t.hasAttribute && t.hasAttribute("data-group-rows")) {
      t.setAttribute("data-loaded", "");
      var g = t.closest("[data-restock-group]");
      var pending = g && g.getAttribute("data-select-pending");
      if (pending !== null && pending !== undefined) {
        g.removeAttribute("data-select-pending");
        g.querySelectorAll('input[data-testid="pick"]').forEach(function (p) { p.checked = pending === "1"; });
      }
    }
    var form = document.querySelector("[data-restock-form]");
    if (form) restockUpdate(form);
  });

  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!form.hasAttribute || !form.hasAttribute("data-restock-form")) return;
    var dialog = form.querySelector("[data-confirm-dialog]");
    var chosen = restockSelection(form).filter(function (g) { return g.n > 0; });
    if (!dialog || !dialog.showModal || chosen.length === 0) return; // the server explains an empty choice
    evt.preventDefault();
    var list = dialog.querySelector("[data-confirm-list]");
    list.textContent = "";
    var cents = 0;
    chosen.forEach(function (g) {
      var li = document.createElement("li");
      li.textContent = g.name + ": " + g.n + (g.n === 1 ? " product" : " products") + " · " + money(g.cents);
      list.appendChild(li);
      cents += g.cents;
    });
    dialog.querySelector("[data-confirm-title]").textContent = "Create " + chosen.length +
      (chosen.length === 1 ? " draft order" : " draft orders") + " · " + money(cents) + "?";
    dialog.showModal();
  });

  document.addEventListener("click", function (evt) {
    var dialog = evt.target.closest("[data-confirm-dialog]");
    if (!dialog) return;
    if (evt.target.closest("[data-confirm-cancel]")) dialog.close();
    if (evt.target.closest("[data-confirm-ok]")) {
      dialog.close();
      dialog.closest("form").submit();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-restock-form]");
    if (form) restockUpdate(form);
  });
})();
