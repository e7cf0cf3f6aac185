// progress.js: keeps the delivery progress of queued mails current. While
// mails wait it reads the counts every 3 seconds and stops once none is
// left; without it the page shows the counts of when it was loaded.
(function () {
  "use strict";
  if (!window.fetch) return;
  document.querySelectorAll("[data-progress-url][data-pending]").forEach(function (box) {
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector("progress");
    var timer = setInterval(function () {
      if (document.hidden) return;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (!p) return;
          ["sent", "logged", "pending", "failed", "total"].forEach(function (k) {
            var el = box.querySelector('[data-count="' + k + '"]');
            if (el && String(p[k]) !== el.textContent) el.textContent = String(p[k]);
          });
          if (bar) {
            bar.max = p.total;
            bar.value = p.sent + p.failed;
          }
          if (p.pending === 0) {
            clearInterval(timer);
            box.removeAttribute("data-pending");
            var rate = box.querySelector("[data-progress-rate]");
            if (rate) rate.remove();
          }
        })
        .catch(function () { /* offline for a moment: try again */ });
    }, 3000);
  });
})();
