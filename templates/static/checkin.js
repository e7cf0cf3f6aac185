// checkin.js: the check-in app. Without it the page works with the
// server alone (type the code, search by name, register walk-ins). With
// it the day's list lives on the device: codes, names and walk-ins are
// handled at once, also without a network, and what was done waits in a
// queue on the device until the server has it. Several devices may check
// in the same people; the server keeps one check-in per person and day
// and each device learns the others' from the list it fetches.
(function () {
  "use strict";

  var main = document.querySelector("main[data-list-url]");
  if (!main || !window.fetch || !window.localStorage || !window.JSON) return;

  var eventID = main.getAttribute("data-event");
  var listURL = main.getAttribute("data-list-url");
  var syncURL = main.getAttribute("data-sync-url");
  var rehearsal = main.getAttribute("data-rehearsal") === "1";
  var mode = rehearsal ? "probelauf" : "echt";
  var storeKey = "treffen-checkin:" + eventID + ":" + mode;

  var $ = function (id) { return document.getElementById(id); };
  var countBox = $("checkin-count");
  var resultSlot = $("checkin-result-slot");
  var queueState = $("queue-state");
  var queueLabel = $("queue-label");
  var netState = $("net-state");
  var netLabel = $("net-label");
  var notToday = $("not-today");
  var codeForm = $("code-form");
  var codeInput = $("f-code");
  var searchForm = $("search-form");
  var searchInput = $("q");
  var searchResults = $("search-results");
  var walkForm = $("walkin-form");
  var syncLog = $("sync-log");
  var syncLogList = $("sync-log-list");

  // --- state kept on the device -----------------------------------------

  // saved: { device, seq, queue: [op], done: {"id|day": iso} (rehearsal) }
  var saved = (function () {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  })();
  if (!saved.device) {
    var shared = localStorage.getItem("treffen-device");
    if (!shared) {
      shared = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
      localStorage.setItem("treffen-device", shared);
    }
    saved.device = shared;
  }
  saved.seq = saved.seq || 0;
  saved.queue = saved.queue || [];
  saved.done = saved.done || {};
  var save = function () { localStorage.setItem(storeKey, JSON.stringify(saved)); };

  var list = null;       // the day's list from the server (or the device's copy)
  var byID = {};
  var byCode = {};
  var online = navigator.onLine !== false;
  var sending = false;

  // --- helpers ------------------------------------------------------------

  // berlinDay is today's date in Berlin, as the meeting's days are kept.
  var berlinDay = function () {
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  };
  var clock = function (iso) {
    return new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
  };
  // fold makes "Weiß", "Weiss", "Münster" and "Muenster" find each other.
  var fold = function (s) {
    return String(s || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/ß/g, "ss").replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
  };
  // codeOf takes the check-in code (16 hex digits) out of what was typed
  // or what a QR code holds (the bare code or a link ending with it).
  var codeOf = function (raw) {
    var compact = String(raw).toUpperCase().replace(/\s+/g, "");
    var found = compact.match(/[0-9A-F]{16}/g);
    return found ? found[found.length - 1] : compact;
  };
  var label = function (p) { return p.municipality ? p.name + " (" + p.municipality + ")" : p.name; };
  var key = function (id) { return id + "|" + (list ? list.day : ""); };
  var walkInKey = function (email) { return "walk-in|" + email + "|" + (list ? list.day : ""); };
  var el = function (tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // The day's check-ins are open when the list's day is today on this
  // device; a rehearsal is open any day.
  var open = function () { return !!list && (rehearsal || list.day === berlinDay()); };

  // localAt is when this device checked a person in, waiting to be sent
  // or, in a rehearsal, done on this device.
  var localAt = function (id) {
    if (rehearsal && saved.done[key(id)]) return saved.done[key(id)];
    for (var i = 0; i < saved.queue.length; i++) {
      var op = saved.queue[i];
      if (op.kind === "check_in" && op.registration_id === id && op.day === list.day) return op.at;
    }
    return null;
  };
  var checkedInAt = function (p) { return (!rehearsal && p.checked_in_at) || localAt(p.id); };

  // pendingWalkIns are walk-ins of this device the server has not taken yet.
  var pendingWalkIns = function () {
    return saved.queue.filter(function (op) { return op.kind === "walk_in" && list && op.day === list.day; });
  };

  // --- showing ------------------------------------------------------------

  var show = function (kind, text, extra) {
    resultSlot.textContent = "";
    var box = el("div", { "class": "checkin-result " + kind, id: "checkin-result", role: kind === "refused" ? "alert" : "status" }, text);
    if (extra) box.appendChild(el("span", { "class": "checkin-extra" }, extra));
    resultSlot.appendChild(box);
    var r = box.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) box.scrollIntoView({ block: "center" });
  };

  var renderCounts = function () {
    if (!list) return;
    var expected = 0, checked = 0;
    list.people.forEach(function (p) {
      if (p.status !== "confirmed") return;
      expected++;
      if (checkedInAt(p)) checked++;
    });
    var walkIns = pendingWalkIns().length;
    if (rehearsal) {
      // A rehearsal's walk-ins never reach the list.
      walkIns += Object.keys(saved.done).filter(function (k) { return k.indexOf("walk-in|") === 0 && k.slice(-list.day.length) === list.day; }).length;
    }
    expected += walkIns;
    checked += walkIns;
    var set = function (name, n) {
      var node = countBox.querySelector('[data-count="' + name + '"]');
      if (node && node.textContent !== String(n)) node.textContent = String(n);
    };
    set("checked_in", checked);
    set("expected", expected);
    set("open", Math.max(0, expected - checked));
  };

  var renderQueue = function () {
    var n = saved.queue.length;
    queueState.hidden = n === 0;
    if (n > 0) {
      queueLabel.textContent = (n === 1 ? "1 Check-in wartet" : n + " Check-ins warten") +
        (rehearsal ? " (Probelauf)" : "") + " auf Versand" + (online ? "." : " – kein Netz, wird gesendet, sobald es wieder da ist.");
    }
    netState.setAttribute("data-state", online ? "online" : "offline");
    netLabel.textContent = online ? "Online" : "Offline";
    queueState.setAttribute("data-pending", String(n));
  };

  var logSync = function (text, kind) {
    syncLog.hidden = false;
    var item = el("li", { "class": kind }, text);
    syncLogList.insertBefore(item, syncLogList.firstChild);
    while (syncLogList.children.length > 30) syncLogList.removeChild(syncLogList.lastChild);
  };

  var renderSearch = function () {
    if (!list) return;
    var q = fold(searchInput.value.trim());
    searchResults.textContent = "";
    if (q.length < 2) return;
    var found = list.people.filter(function (p) {
      return fold(p.name + " " + p.sort_name + " " + p.municipality).indexOf(q) >= 0;
    }).sort(function (a, b) { return a.sort_name.localeCompare(b.sort_name, "de"); });
    var ul = el("ul", { "class": "checkin-people", "aria-label": "Gefundene Personen" });
    found.slice(0, 30).forEach(function (p) {
      var li = el("li", { "class": "checkin-person", "data-id": String(p.id) });
      var who = el("div", { "class": "who" });
      who.appendChild(el("strong", {}, p.sort_name));
      if (p.municipality) who.appendChild(el("span", { "class": "hint" }, p.municipality));
      if (p.groups && p.groups.length) who.appendChild(el("span", { "class": "hint" }, "AG: " + p.groups.join(", ")));
      li.appendChild(who);
      var state = el("div", { "class": "state" });
      var at = checkedInAt(p);
      if (at) {
        state.appendChild(el("span", { "class": "badge confirmed" }, "eingecheckt " + clock(at)));
      } else if (p.status === "waitlisted") {
        state.appendChild(el("span", { "class": "badge waitlisted" }, "Warteliste"));
      } else if (p.status === "pending") {
        state.appendChild(el("span", { "class": "badge pending" }, "in Prüfung"));
      } else {
        var button = el("button", { type: "button", "class": "primary", "data-checkin": String(p.id) }, "Einchecken");
        button.appendChild(el("span", { "class": "visually-hidden" }, " " + p.name));
        state.appendChild(button);
      }
      li.appendChild(state);
      ul.appendChild(li);
    });
    if (found.length === 0) {
      ul.appendChild(el("li", {}, "Niemand mit „" + searchInput.value.trim() + "“ in der Liste. Ist die Person nicht angemeldet, melden Sie sie unten nach."));
    }
    searchResults.appendChild(ul);
    if (found.length > 30) searchResults.appendChild(el("p", { "class": "hint" }, "Es gibt weitere Treffer – bitte genauer suchen."));
  };

  var renderAll = function () {
    renderCounts();
    renderQueue();
    renderSearch();
    if (notToday) notToday.hidden = !list || open();
  };

  // --- the list -----------------------------------------------------------

  var useList = function (data) {
    list = data;
    byID = {};
    byCode = {};
    list.people.forEach(function (p) {
      byID[p.id] = p;
      if (p.code) byCode[p.code] = p;
    });
    renderAll();
  };

  var loadList = function () {
    return fetch(listURL, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) {
        if (r.status === 410) {
          // Over: nothing of this meeting stays on the device.
          localStorage.removeItem(storeKey);
          saved.queue = [];
          return r.json().then(function (body) { show("refused", body.error ? body.error.message : "Die Veranstaltung ist vorbei."); });
        }
        if (r.status === 401 || r.status === 403) {
          show("refused", "Bitte melden Sie sich wieder an. Was auf diesem Gerät wartet, bleibt gespeichert.");
          return null;
        }
        return r.json().then(function (body) {
          if (r.ok) { useList(body); return; }
          if (!list) show("refused", body.error ? body.error.message : "Die Teilnehmerliste ist nicht verfügbar.");
        });
      })
      .catch(function () {
        if (!list) show("refused", "Kein Netz, und die Teilnehmerliste ist nicht auf diesem Gerät.");
      });
  };

  // --- doing --------------------------------------------------------------

  var enqueue = function (op) {
    saved.seq++;
    op.ref = saved.device + "-" + mode + "-" + saved.seq;
    op.day = list.day;
    op.at = new Date().toISOString();
    saved.queue.push(op);
    save();
    return op;
  };

  var refuseClosed = function () {
    show("refused", "Heute ist kein Tag dieser Veranstaltung. Im Probelauf können Sie alles ausprobieren.");
  };

  var checkInPerson = function (p) {
    if (!open()) { refuseClosed(); return; }
    if (p.status === "waitlisted") { show("refused", label(p) + " steht auf der Warteliste und hat keinen bestätigten Platz."); return; }
    if (p.status === "pending") { show("refused", "Die Anmeldung von " + p.name + " ist noch in Prüfung und hat keinen bestätigten Platz."); return; }
    var at = checkedInAt(p);
    if (at) { show("already", label(p) + ": bereits eingecheckt um " + clock(at) + " Uhr."); return; }
    var op = enqueue({ kind: "check_in", registration_id: p.id });
    if (rehearsal) saved.done[key(p.id)] = op.at;
    save();
    show("ok", (rehearsal ? "Probelauf: " : "") + label(p) + " ist eingecheckt.",
      p.groups && p.groups.length ? "Arbeitsgruppe: " + p.groups.join(", ") : undefined);
    renderAll();
    send();
  };

  codeForm.addEventListener("submit", function (ev) {
    if (!list) return; // no list yet: the server answers
    ev.preventDefault();
    var code = codeOf(codeInput.value);
    codeInput.value = "";
    codeInput.focus();
    if (!code) { show("refused", "Bitte geben Sie den Code vom Namensschild ein oder suchen Sie die Person über den Namen."); return; }
    var p = byCode[code];
    if (p) { checkInPerson(p); return; }
    show("refused", "Diesen Code gibt es in der Liste auf diesem Gerät nicht. Bitte suchen Sie die Person über den Namen oder melden Sie sie nach.");
  });

  searchForm.addEventListener("submit", function (ev) {
    if (!list) return;
    ev.preventDefault();
    renderSearch();
  });
  searchInput.addEventListener("input", renderSearch);
  searchResults.addEventListener("click", function (ev) {
    var button = ev.target.closest("button[data-checkin]");
    if (!button) return;
    var p = byID[button.getAttribute("data-checkin")];
    if (p) checkInPerson(p);
  });

  // Walk-ins: checked on the device as far as it can; the server decides
  // the rest when it gets them (and tells in the log).
  var fieldError = function (name, text) {
    var input = walkForm.querySelector('[name="' + name + '"]');
    if (!input) return;
    var id = "e-" + name;
    var old = $(id);
    if (old) old.parentNode.removeChild(old);
    input.removeAttribute("aria-invalid");
    if (!text) return;
    var p = el("p", { "class": "field-error", id: id }, text);
    input.parentNode.insertBefore(p, input);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
  };
  walkForm.addEventListener("submit", function (ev) {
    if (!list) return;
    ev.preventDefault();
    if (!open()) { refuseClosed(); return; }
    var value = function (n) { var i = walkForm.querySelector('[name="' + n + '"]'); return i ? i.value.trim() : ""; };
    var person = {
      first_name: value("first_name"), last_name: value("last_name"), email: value("email").toLowerCase(),
      organisation: value("organisation"),
      municipality_id: value("municipality_id") ? Number(value("municipality_id")) : null,
      privacy_consent: walkForm.querySelector('[name="privacy_consent"]').checked
    };
    var errors = {
      first_name: person.first_name ? "" : "Bitte geben Sie den Vornamen an.",
      last_name: person.last_name ? "" : "Bitte geben Sie den Nachnamen an.",
      email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(person.email) ? "" : "Bitte geben Sie eine gültige E-Mail-Adresse an.",
      organisation: person.municipality_id || person.organisation ? "" : "Bitte wählen Sie die Kommune oder geben Sie die Organisation an.",
      privacy_consent: person.privacy_consent ? "" : "Bitte bestätigen Sie, dass die Person mit der Verarbeitung ihrer Daten einverstanden ist."
    };
    var first = null;
    Object.keys(errors).forEach(function (n) {
      fieldError(n, errors[n]);
      if (errors[n] && !first) first = n;
    });
    if (first) {
      show("refused", "Bitte prüfen Sie die markierten Angaben.");
      walkForm.querySelector('[name="' + first + '"]').focus();
      return;
    }
    var name = person.first_name + " " + person.last_name;
    // The same address twice on this device is one person; across
    // devices the server makes it one.
    var queued = pendingWalkIns().filter(function (op) { return op.email === person.email; })[0];
    var earlier = queued ? queued.at : rehearsal && saved.done[walkInKey(person.email)];
    if (earlier) { show("already", name + " ist auf diesem Gerät bereits nachgemeldet (um " + clock(earlier) + " Uhr)."); return; }
    var op = { kind: "walk_in" };
    Object.keys(person).forEach(function (k) { op[k] = person[k]; });
    enqueue(op);
    show("ok", (rehearsal ? "Probelauf: " : "") + name + " ist nachgemeldet und eingecheckt.");
    walkForm.reset();
    $("walkin").open = false;
    renderAll();
    send();
  });

  // --- sending ------------------------------------------------------------

  var applyResults = function (results) {
    var byRef = {};
    results.forEach(function (r) { byRef[r.ref] = r; });
    var sentOps = saved.queue.filter(function (op) { return byRef[op.ref]; });
    saved.queue = saved.queue.filter(function (op) { return !byRef[op.ref]; });
    sentOps.forEach(function (op) {
      var r = byRef[op.ref];
      if (rehearsal && op.kind === "check_in" && r.status === "refused") delete saved.done[key(op.registration_id)];
      if (rehearsal && op.kind === "walk_in" && r.status !== "refused") saved.done[walkInKey(op.email)] = op.at;
      if (!rehearsal && r.registration_id && r.checked_in_at && byID[r.registration_id]) {
        byID[r.registration_id].checked_in_at = r.checked_in_at;
      }
      if (r.status === "already") logSync(r.message, "already");
      if (r.status === "refused") {
        var who = r.name || (op.kind === "walk_in" ? op.first_name + " " + op.last_name : "");
        logSync((who ? who + ": " : "") + r.message, "refused");
      }
    });
    save();
  };

  var send = function () {
    if (sending || saved.queue.length === 0) { renderQueue(); return Promise.resolve(); }
    sending = true;
    var batch = saved.queue.slice(0, 200);
    return fetch(syncURL, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ rehearsal: rehearsal, ops: batch })
    }).then(function (r) {
      online = true;
      if (r.status === 401 || r.status === 403) {
        show("refused", "Bitte melden Sie sich wieder an. " + saved.queue.length + " Check-ins bleiben auf diesem Gerät gespeichert.");
        return null;
      }
      if (!r.ok) return null; // the server is busy or down: try again later
      return r.json().then(function (body) {
        applyResults(body.results || []);
        return rehearsal ? null : loadList();
      });
    }).catch(function () {
      online = false;
    }).then(function () {
      sending = false;
      renderAll();
      if (online && saved.queue.length > 0) setTimeout(send, 1000);
    });
  };

  queueState.querySelector("#queue-send").addEventListener("click", function () { send(); });
  window.addEventListener("online", function () { online = true; renderQueue(); send(); });
  window.addEventListener("offline", function () { online = false; renderQueue(); });

  // Keep the counts of all devices current: fetch the list now and then
  // while the page is shown, and send what waits.
  setInterval(function () {
    if (document.hidden) return;
    send().then(function () { if (!rehearsal && saved.queue.length === 0) return loadList(); });
  }, 5000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) send(); });

  // --- camera ---------------------------------------------------------------

  var start = $("scan-start");
  var box = $("scanner");
  var video = $("scan-video");
  var hint = $("scan-hint");
  var stopButton = $("scan-stop");
  var stream = null, timer = null, lastCode = "", lastAt = 0, canvas = null;

  var stopCamera = function () {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.srcObject = null;
    box.hidden = true;
    start.hidden = false;
  };
  var found = function (raw) {
    var code = codeOf(raw);
    var now = Date.now();
    if (code === lastCode && now - lastAt < 3000) return; // the same badge still in view
    lastCode = code;
    lastAt = now;
    codeInput.value = code;
    if (codeForm.requestSubmit) codeForm.requestSubmit(); else codeForm.submit();
  };
  // detectorFor uses the browser's own QR reader where there is one, the
  // vendored decoder otherwise (loaded only then).
  var detectorFor = function () {
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") < 0) throw new Error("no qr");
        var d = new window.BarcodeDetector({ formats: ["qr_code"] });
        main.setAttribute("data-scanner", "browser");
        return function () { return d.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; }); };
      }).catch(vendored);
    }
    return vendored();
  };
  var vendored = function () {
    return new Promise(function (resolve, reject) {
      var done = function () {
        main.setAttribute("data-scanner", "jsqr");
        canvas = canvas || document.createElement("canvas");
        resolve(function () {
          var w = video.videoWidth, h = video.videoHeight;
          if (!w || !h) return Promise.resolve(null);
          var scale = Math.min(1, 800 / Math.max(w, h));
          canvas.width = Math.round(w * scale);
          canvas.height = Math.round(h * scale);
          var ctx = canvas.getContext("2d", { willReadFrequently: true });
          ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
          var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
          var hit = window.jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
          return Promise.resolve(hit ? hit.data : null);
        });
      };
      if (window.jsQR) { done(); return; }
      var s = document.createElement("script");
      s.src = "/static/vendor/jsqr-1.4.0.min.js";
      s.onload = done;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  };
  var scan = function (detect) {
    if (!stream) return;
    detect().then(function (raw) {
      if (raw) found(raw);
      timer = setTimeout(function () { scan(detect); }, 250);
    }).catch(function () {
      timer = setTimeout(function () { scan(detect); }, 500);
    });
  };
  var begin = function () {
    detectorFor().then(function (detect) {
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
        stream = s;
        video.srcObject = s;
        box.hidden = false;
        start.hidden = true;
        hint.textContent = "Halten Sie den QR-Code des Namensschilds vor die Kamera. Die Kamera bleibt offen für das nächste Namensschild.";
        return video.play();
      }).then(function () { scan(detect); });
    }).catch(function () {
      stopCamera();
      box.hidden = false;
      hint.textContent = "Die Kamera ist nicht verfügbar oder nicht freigegeben. Bitte geben Sie den Code ein oder suchen Sie nach dem Namen.";
    });
  };
  if (start && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    start.hidden = false;
    start.addEventListener("click", begin);
    stopButton.addEventListener("click", stopCamera);
    window.addEventListener("pagehide", stopCamera);
  }

  // --- start ------------------------------------------------------------------

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(main.getAttribute("data-sw"), { scope: "/host/" }).then(function (reg) {
      if (reg.active) reg.active.postMessage("drop-expired");
    }).catch(function () { /* without it the page needs the network */ });
  }
  main.classList.add("app-ready");
  renderQueue();
  loadList().then(function () { send(); });
})();
