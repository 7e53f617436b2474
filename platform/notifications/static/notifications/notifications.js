/* Ruche notifications: keep the header badge's unread count live, without reload. */
(function () {
  "use strict";

  function render(count) {
    document.querySelectorAll("[data-unread-count]").forEach((badge) => {
      badge.dataset.unreadCount = String(count);
      badge.textContent = count > 99 ? "99+" : String(count);
      badge.hidden = count === 0;
    });
    document.querySelectorAll("[data-unread-label]").forEach((label) => {
      label.textContent = count === 1 ? label.dataset.one : label.dataset.many;
    });
  }

  function start() {
    if (!window.Ruche || !document.body.dataset.userId) return;
    window.Ruche.socket("/ws/notifications/", {
      // The server sends the count on every (re)connection; asking again costs nothing and
      // covers a page that reconnected before the greeting arrived.
      onOpen(api) { api.send({ type: "sync" }); },
      onMessage(data) {
        if (data.type === "unread" && Number.isInteger(data.count) && data.count >= 0) {
          render(data.count);
        }
      },
    });
  }

  // This file is included in the header, before ruche.js (both `defer`): wait until every
  // deferred script ran, which is when DOMContentLoaded fires.
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
