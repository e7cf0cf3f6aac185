// checkin-sw.js: the service worker of the check-in app. It keeps on the
// device what the door needs without a network: the check-in page of a
// meeting, the app's files, and the day's participant list, the list only
// as long as the server allows (offline_until: from the day before the
// meeting to the end of its last day). The server writes the version and
// the list of files into this text.
"use strict";

var VERSION = "__VERSION__";
var SHELL = "checkin-shell-" + VERSION;
var PAGES = "checkin-pages";
var LISTS = "checkin-lists";
var SHELL_FILES = ["__SHELL__"];

var pagePath = /^\/host\/events\/(\d+)\/checkin$/;
var listPath = /^\/host\/events\/(\d+)\/checkin\/list\.json$/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(SHELL_FILES);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("checkin-shell-") === 0 && n !== SHELL;
    }).map(function (n) { return caches.delete(n); }));
  }).then(dropExpiredLists).then(function () { return self.clients.claim(); }));
});

// offlineAnswer is what the app gets for a list the device does not have.
function offlineAnswer(message) {
  return new Response(JSON.stringify({ error: { code: "offline", message: message } }), {
    status: 503, headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" }
  });
}

// pageKey is the cached copy of a check-in page: the page itself or its
// rehearsal, never a search result.
function pageKey(url) {
  var rehearsal = url.searchParams.get("probelauf") === "1";
  return url.origin + url.pathname + (rehearsal ? "?probelauf=1" : "");
}

// listKey is the cached list: one per meeting, mode and day asked for.
function listKey(url) {
  var key = url.origin + url.pathname;
  var params = [];
  if (url.searchParams.get("day")) params.push("day=" + url.searchParams.get("day"));
  if (url.searchParams.get("rehearsal") === "1") params.push("rehearsal=1");
  return key + (params.length ? "?" + params.join("&") : "");
}

function expired(list) {
  return !list.offline_until || Date.parse(list.offline_until) <= Date.now();
}

// dropExpiredLists removes the lists whose time on the device is over,
// and with the last list of a meeting its page.
function dropExpiredLists() {
  return caches.open(LISTS).then(function (cache) {
    return cache.keys().then(function (keys) {
      return Promise.all(keys.map(function (req) {
        return cache.match(req).then(function (resp) {
          return resp ? resp.clone().json() : null;
        }).then(function (list) {
          if (list && !expired(list)) return null;
          return cache.delete(req).then(function () {
            var m = new URL(req.url).pathname.match(listPath);
            return m ? dropMeeting(m[1], false) : null;
          });
        }).catch(function () { return cache.delete(req); });
      }));
    });
  });
}

// dropMeeting removes what the device keeps of one meeting: its pages,
// and its lists too when the server said the meeting is over.
function dropMeeting(eventID, lists) {
  var page = "/host/events/" + eventID + "/checkin";
  var list = "/host/events/" + eventID + "/checkin/list.json";
  var drop = function (name, path) {
    return caches.open(name).then(function (cache) {
      return cache.keys().then(function (keys) {
        return Promise.all(keys.filter(function (req) {
          return new URL(req.url).pathname === path;
        }).map(function (req) { return cache.delete(req); }));
      });
    });
  };
  return Promise.all([drop(PAGES, page), lists ? drop(LISTS, list) : null]);
}

function servePage(request, url) {
  var key = pageKey(url);
  return fetch(request).then(function (resp) {
    if (resp.ok && !url.searchParams.get("q")) {
      var copy = resp.clone();
      caches.open(PAGES).then(function (cache) { return cache.put(key, copy); });
    }
    return resp;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(key); }).then(function (cached) {
      return cached || new Response("<!doctype html><html lang=\"de\"><meta charset=\"utf-8\"><title>Offline</title>" +
        "<p>Kein Netz, und diese Seite ist nicht auf dem Gerät gespeichert. Öffnen Sie den Check-in einmal mit Netz am Veranstaltungstag oder am Tag davor.</p></html>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

function serveList(request, url, eventID) {
  var key = listKey(url);
  return fetch(request).then(function (resp) {
    if (resp.status === 410) {
      // The meeting is over: nothing of it stays on the device.
      return dropMeeting(eventID, true).then(function () { return resp; });
    }
    if (!resp.ok) return resp;
    return resp.clone().json().then(function (list) {
      return caches.open(LISTS).then(function (cache) {
        return expired(list) ? cache.delete(key) : cache.put(key, resp.clone());
      });
    }).then(function () { return resp; }, function () { return resp; });
  }).catch(function () {
    return caches.open(LISTS).then(function (cache) {
      return cache.match(key).then(function (cached) {
        if (!cached) return offlineAnswer("Kein Netz, und die Teilnehmerliste ist nicht auf diesem Gerät gespeichert.");
        return cached.clone().json().then(function (list) {
          if (!expired(list)) return cached;
          return cache.delete(key).then(function () {
            return offlineAnswer("Die Teilnehmerliste ist abgelaufen und wurde von diesem Gerät gelöscht.");
          });
        });
      });
    });
  });
}

function serveShell(request) {
  return caches.open(SHELL).then(function (cache) {
    return cache.match(request, { ignoreSearch: true }).then(function (cached) {
      return cached || fetch(request);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var m;
  if (request.mode === "navigate" && pagePath.test(url.pathname)) {
    event.respondWith(servePage(request, url));
  } else if ((m = url.pathname.match(listPath))) {
    event.respondWith(serveList(request, url, m[1]));
  } else if (SHELL_FILES.indexOf(url.pathname) >= 0) {
    event.respondWith(serveShell(request));
  }
});

// The app asks to drop expired lists when it starts; so does every
// activation of a new version.
self.addEventListener("message", function (event) {
  if (event.data === "drop-expired") event.waitUntil(dropExpiredLists());
});
