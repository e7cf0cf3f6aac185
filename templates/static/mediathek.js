// Mediathek: the two-click player and the consents remembered in this
// browser. Nothing of a video platform is loaded before the visitor
// agrees: the player waits inert in a <template>. Without JavaScript the
// consent button reloads the page with the player in it, and nothing is
// remembered.
"use strict";
(() => {
  const storageKey = "treffen-medien-zustimmung";

  // consents returns the remembered consents: platform key → {name, since}.
  function consents() {
    try {
      const v = JSON.parse(localStorage.getItem(storageKey) || "{}");
      return v && typeof v === "object" ? v : {};
    } catch (e) {
      return {};
    }
  }

  function save(all) {
    try {
      if (Object.keys(all).length === 0) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, JSON.stringify(all));
    } catch (e) {
      // Storage refused (private mode): the consent holds for this page only.
    }
  }

  // load puts the player of a consent box in its place.
  function load(box, focus) {
    const tpl = box.querySelector("template");
    if (!tpl) return;
    const player = box.closest("[data-media-player]");
    box.replaceWith(tpl.content.cloneNode(true));
    const el = player.querySelector("iframe, video, audio, a.button");
    const status = player.querySelector("[data-player-status]");
    if (status) status.textContent = "Der Player ist geladen.";
    if (el && focus) el.focus();
    enableSeeking();
  }

  function setUpConsent(box) {
    const key = box.dataset.key;
    if (key && consents()[key]) {
      load(box, false);
      return;
    }
    const form = box.querySelector("form");
    const remember = box.querySelector(".remember");
    if (remember && key) remember.hidden = false;
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const box2 = remember && remember.querySelector("input");
      if (key && box2 && box2.checked) {
        const all = consents();
        all[key] = {name: box.dataset.platform || key, since: new Date().toISOString().slice(0, 10)};
        save(all);
      }
      load(box, true);
    });
  }

  // enableSeeking turns the transcript's times into buttons that move the
  // page's own player, once there is one.
  function enableSeeking() {
    const player = document.querySelector("video.media-player, audio.media-player");
    if (!player) return;
    for (const span of document.querySelectorAll(".cue-time[data-seek]")) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "cue-time";
      button.textContent = span.textContent;
      button.setAttribute("aria-label", "Im Player zu " + span.textContent + " springen");
      const at = Number(span.dataset.seek);
      button.addEventListener("click", () => {
        player.currentTime = at;
        player.focus();
      });
      span.replaceWith(button);
    }
  }

  // The privacy page lists the remembered consents, each revocable.
  function setUpRevocation(list) {
    const empty = list.querySelector("[data-none]");
    const all = consents();
    const keys = Object.keys(all).sort();
    list.hidden = false;
    const noscript = document.querySelector("[data-media-consents-noscript]");
    if (noscript) noscript.hidden = true;
    const ul = list.querySelector("ul");
    ul.replaceChildren();
    empty.hidden = keys.length > 0;
    for (const key of keys) {
      const li = document.createElement("li");
      const since = all[key].since ? " (seit " + all[key].since.split("-").reverse().join(".") + ")" : "";
      li.append(document.createTextNode((all[key].name || key) + since + " "));
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = "Widerrufen";
      button.setAttribute("aria-label", "Zustimmung für " + (all[key].name || key) + " widerrufen");
      button.addEventListener("click", () => {
        const now = consents();
        delete now[key];
        save(now);
        setUpRevocation(list);
        const status = list.querySelector("[role=status]");
        if (status) status.textContent = "Die Zustimmung für " + (all[key].name || key) + " ist widerrufen.";
        list.querySelector("h3, h2").focus();
      });
      li.append(button);
      ul.append(li);
    }
  }

  document.querySelectorAll("[data-media-consent]").forEach(setUpConsent);
  enableSeeking();
  const list = document.querySelector("[data-media-consents]");
  if (list) setUpRevocation(list);
})();
