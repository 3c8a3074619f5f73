// Presence on a complaint page: the page reports itself every few seconds (reading, or
// writing a reply or a question) and shows who else has the complaint open. Without this
// script the page shows no presence, and nothing else changes.
(function () {
  "use strict";

  var panel = document.querySelector("[data-presence-url]");
  if (!panel || !window.fetch || !window.URLSearchParams) return;
  var people = panel.querySelector(".presence-people");
  var every = Number(panel.dataset.presenceSeconds || "12") * 1000;
  // A draft untouched this long no longer counts as being written.
  var idleAfter = 60000;
  var drafts = Array.prototype.slice.call(document.querySelectorAll("[data-presence-draft]"));
  // Text the page came back with (a form refused) is not new writing until it is edited.
  var loaded = drafts.map(function (draft) { return draft.value; });
  var typedAt = 0;
  var reported = null;
  var shown = null;
  var timer = null;
  var sending = false;
  var again = false;
  var stopped = false;

  function state() {
    var edited = drafts.some(function (draft, index) {
      return draft.value.trim() !== "" && draft.value !== loaded[index];
    });
    return edited && Date.now() - typedAt < idleAfter ? "writing" : "viewing";
  }

  function form(value) {
    var params = new URLSearchParams();
    params.set("csrf_token", panel.dataset.csrfToken);
    params.set("page_key", panel.dataset.presenceKey);
    params.set("state", value);
    return params;
  }

  function next() {
    if (stopped) return;
    if (again) {
      again = false;
      report();
    } else {
      timer = window.setTimeout(report, every);
    }
  }

  function report() {
    // One report at a time: a change while one is on its way is sent right after it.
    if (sending) {
      again = true;
      return;
    }
    window.clearTimeout(timer);
    sending = true;
    reported = state();
    fetch(panel.dataset.presenceUrl, {
      method: "POST",
      body: form(reported),
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        // A redirect is the sign-in page (the session ended); a refusal will not change.
        if (response.redirected || response.status === 403 || response.status === 404) {
          stopped = true;
        }
        if (!response.ok || response.redirected) throw new Error("no answer");
        return response.text();
      })
      .then(function (html) {
        // Replaced only when it changed, so a screen reader hears each change once.
        if (html !== shown) {
          // Rendered and escaped by the server, like the page itself.
          people.innerHTML = html;
          shown = html;
        }
        panel.hidden = false;
      })
      .catch(function () {
        // Who was here a while ago is not shown as if they were here now.
        panel.hidden = true;
        shown = null;
      })
      .then(function () {
        sending = false;
        next();
      });
  }

  drafts.forEach(function (draft) {
    draft.addEventListener("input", function () {
      typedAt = Date.now();
      if (state() !== reported) report();
    });
  });
  // A page leaving says so, so others stop seeing it at once; one restored from the
  // back-forward cache reports again.
  window.addEventListener("pagehide", function () {
    window.clearTimeout(timer);
    if (navigator.sendBeacon) navigator.sendBeacon(panel.dataset.presenceUrl, form("left"));
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && !stopped) report();
  });
  report();
})();
