// The console's only script: deadlines count down in place, and the live part of a
// complaint page or a queue is fetched again every few seconds. Pages work without it.
(function () {
  "use strict";

  var words = document.body.dataset;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  // The same wording as the server's countdown_span (api/console/rendering.py).
  function span(seconds) {
    var minutes = Math.floor(Math.abs(seconds) / 60);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor(minutes / 60) % 24;
    var mins = minutes % 60;
    var parts = [];
    if (days) {
      parts.push(fill(words.unitDay, { n: days }));
      if (hours) parts.push(fill(words.unitHour, { n: hours }));
    } else if (hours) {
      parts.push(fill(words.unitHour, { n: hours }));
      if (mins) parts.push(fill(words.unitMinute, { n: mins }));
    } else if (mins) {
      parts.push(fill(words.unitMinute, { n: mins }));
    } else {
      return words.underAMinute;
    }
    return parts.join(" ");
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (element) {
      var seconds = (Date.parse(element.dataset.due) - now) / 1000;
      var template = seconds >= 0 ? words.timeLeft : words.timeOverdue;
      element.textContent = fill(template, { span: span(seconds) });
      element.classList.toggle("overdue", seconds < 0);
    });
  }

  function follow(section) {
    var every = Number(section.dataset.liveSeconds || "5") * 1000;
    var timer = window.setInterval(function () {
      fetch(section.dataset.liveUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          // A redirect means the session ended: the sign-in page is no timeline.
          if (!response.ok || response.redirected) throw new Error("stopped");
          return response.text();
        })
        .then(function (html) {
          // A keyboard user's place in the list survives the refresh: the link they were
          // on is focused again in the new rows.
          var focused = section.contains(document.activeElement) && document.activeElement;
          var href = focused && focused.getAttribute("href");
          // The fragment is rendered and escaped by the server, like the page itself.
          section.innerHTML = html;
          if (href) {
            var again = Array.prototype.find.call(section.querySelectorAll("a[href]"), function (a) {
              return a.getAttribute("href") === href;
            });
            if (again) again.focus({ preventScroll: true });
          }
          tick();
        })
        .catch(function () {
          window.clearInterval(timer);
          var note = document.createElement("p");
          note.className = "problem";
          note.textContent = section.dataset.liveStopped;
          section.prepend(note);
        });
    }, every);
  }

  tick();
  window.setInterval(tick, 30000);
  document.querySelectorAll("[data-live-url]").forEach(follow);
})();
