// checkin.js: progressive enhancement of the check-in page. Without it the
// page works by typing the code or searching by name; with it the count
// stays current and a phone camera reads the QR code on the badge.
(function () {
  "use strict";

  // Live count: poll the counts every 5 seconds while the page is visible.
  var count = document.getElementById("checkin-count");
  if (count && window.fetch) {
    var url = count.getAttribute("data-counts-url");
    var refresh = function () {
      if (document.hidden) return;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (c) {
          if (!c) return;
          ["checked_in", "expected"].forEach(function (k) {
            var el = count.querySelector('[data-count="' + k + '"]');
            if (el && String(c[k]) !== el.textContent) el.textContent = String(c[k]);
          });
        })
        .catch(function () { /* offline for a moment: try again in 5 s */ });
    };
    setInterval(refresh, 5000);
    document.addEventListener("visibilitychange", refresh);
  }

  // Camera: only where the browser can detect QR codes itself.
  var start = document.getElementById("scan-start");
  var form = document.getElementById("code-form");
  var input = document.getElementById("f-code");
  var box = document.getElementById("scanner");
  var video = document.getElementById("scan-video");
  var hint = document.getElementById("scan-hint");
  var stopButton = document.getElementById("scan-stop");
  if (!start || !form || !input || !box || !video || !("BarcodeDetector" in window) ||
      !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }

  var stream = null;
  var timer = null;

  var stop = function () {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.srcObject = null;
    box.hidden = true;
    start.hidden = false;
  };

  // codeOf takes the check-in code (16 hex digits) out of what the QR code
  // holds, which may be the bare code or a link that ends with it.
  var codeOf = function (raw) {
    var compact = String(raw).toUpperCase().replace(/\s+/g, "");
    var found = compact.match(/[0-9A-F]{16}/g);
    return found ? found[found.length - 1] : String(raw).trim();
  };

  var scan = function (detector) {
    if (!stream) return;
    detector.detect(video).then(function (codes) {
      if (codes.length > 0 && codes[0].rawValue) {
        input.value = codeOf(codes[0].rawValue);
        stop();
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
        return;
      }
      timer = setTimeout(function () { scan(detector); }, 200);
    }).catch(function () {
      timer = setTimeout(function () { scan(detector); }, 500);
    });
  };

  var begin = function () {
    var detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (e) {
      hint.textContent = "Dieser Browser kann keine QR-Codes lesen. Bitte geben Sie den Code ein.";
      box.hidden = false;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        box.hidden = false;
        start.hidden = true;
        hint.textContent = "Halten Sie den QR-Code des Namensschilds vor die Kamera.";
        return video.play();
      })
      .then(function () { scan(detector); })
      .catch(function () {
        stop();
        box.hidden = false;
        start.hidden = false;
        hint.textContent = "Die Kamera ist nicht verfügbar oder nicht freigegeben. Bitte geben Sie den Code ein oder suchen Sie nach dem Namen.";
      });
  };

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") < 0) return;
    start.hidden = false;
    start.addEventListener("click", begin);
    stopButton.addEventListener("click", stop);
    window.addEventListener("pagehide", stop);
  }).catch(function () { /* no detector: the typed code still works */ });
})();
