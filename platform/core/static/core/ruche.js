/* Ruche: shared client code. No build step: plain ES2017 served as a static file. */
(function () {
  "use strict";

  /**
   * Open a websocket to `path` that reconnects with backoff. `onOpen` runs on every
   * (re)connection so that a page can re-sync what it may have missed while offline.
   */
  function socket(path, { onMessage, onOpen } = {}) {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    let delay = 1000;
    let ws = null;
    let closedByPage = false;
    const api = {
      send(message) {
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
      },
      close() {
        closedByPage = true;
        if (ws) ws.close();
      },
    };
    function connect() {
      ws = new WebSocket(`${scheme}://${window.location.host}${path}`);
      ws.addEventListener("open", () => {
        delay = 1000;
        if (onOpen) onOpen(api);
      });
      ws.addEventListener("message", (event) => {
        let data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        if (onMessage) onMessage(data, api);
      });
      ws.addEventListener("close", (event) => {
        // 44xx: refused by the server (signed out, not a member): do not insist.
        if (closedByPage || (event.code >= 4400 && event.code < 4500)) return;
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      });
    }
    connect();
    return api;
  }

  /* Presence: this page counts as "online"; elements with data-presence-of show a person. */
  function startPresence() {
    const watched = Array.from(document.querySelectorAll("[data-presence-of]"))
      .map((el) => parseInt(el.dataset.presenceOf, 10))
      .filter((id) => id > 0);
    function show(ids, online) {
      ids.forEach((id) => {
        document.querySelectorAll(`[data-presence-of="${id}"]`).forEach((el) => {
          el.classList.toggle("online", online);
          const label = el.querySelector(".presence-label");
          if (label) label.textContent = online ? label.dataset.online : label.dataset.offline;
        });
      });
    }
    const presence = socket("/ws/presence/", {
      onOpen(api) {
        if (watched.length) api.send({ type: "watch", users: watched.slice(0, 50) });
      },
      onMessage(data) {
        if (data.type !== "presence") return;
        show(data.online || [], true);
        show(data.offline || [], false);
      },
    });
    setInterval(() => presence.send({ type: "heartbeat" }), 45000);
  }

  window.Ruche = { socket };
  if (document.body.dataset.userId) startPresence();
})();
