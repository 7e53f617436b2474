/* Live community and thread pages: new threads and replies appear without reload, and the
   number of people viewing is shown. Re-syncs what was missed after each reconnection. */
(function () {
  "use strict";
  const labelsNode = document.getElementById("community-live-labels");
  const labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
  const fmt = (text, n) => String(text || "").replace("%(n)s", n);

  function setViewers(count) {
    document.querySelectorAll("[data-live-viewers]").forEach((el) => {
      el.textContent = fmt(labels.viewing, count);
    });
  }

  function revoked() {
    const main = document.getElementById("main");
    const note = document.createElement("p");
    note.className = "message error";
    note.setAttribute("role", "alert");
    note.textContent = labels.removed;
    main.prepend(note);
    document.querySelectorAll("[data-live-threads], [data-live-replies]").forEach((el) => el.remove());
  }

  function badge(text, name) {
    const span = document.createElement("span");
    span.className = "badge";
    span.dataset.badge = name;
    span.textContent = text;
    return span;
  }

  function replyCountText(n) {
    return n === 1 ? labels.replies_one : fmt(labels.replies_many, n);
  }

  /* --- Community page ------------------------------------------------------------------ */
  function threadRow(t) {
    const li = document.createElement("li");
    li.className = "thread-row live-new" + (t.pinned ? " pinned" : "");
    li.dataset.threadId = t.id;
    const a = document.createElement("a");
    a.className = "thread-title";
    a.href = t.url;
    a.textContent = t.title;
    li.append(a, " ");
    const badges = document.createElement("span");
    badges.className = "thread-badges";
    if (t.pinned) badges.append(badge(labels.pinned, "pinned"));
    if (t.kind === "announcement") badges.append(badge(labels.announcement, "announcement"));
    if (t.kind === "question") badges.append(badge(t.answered ? labels.answered : labels.question, "question"));
    if (t.locked) badges.append(badge(labels.locked, "locked"));
    li.append(badges, " ");
    const meta = document.createElement("span");
    meta.className = "muted thread-meta";
    const count = document.createElement("span");
    count.dataset.replyCount = "";
    count.textContent = replyCountText(t.reply_count);
    meta.append(t.author + " · ", count);
    li.append(meta);
    return li;
  }

  function startCommunity(list) {
    const communityId = list.dataset.communityId;
    let lastId = parseInt(list.dataset.lastThreadId || "0", 10) || 0;
    list.querySelectorAll("[data-thread-id]").forEach((el) => {
      lastId = Math.max(lastId, parseInt(el.dataset.threadId, 10));
    });
    function upsert(t) {
      const existing = list.querySelector(`[data-thread-id="${t.id}"]`);
      if (t.hidden) { if (existing) existing.remove(); return; }
      const row = threadRow(t);
      if (existing) { existing.replaceWith(row); return; }
      const empty = list.querySelector("[data-empty]");
      if (empty) empty.remove();
      // New threads go first after the pinned ones.
      const firstUnpinned = Array.from(list.children).find((el) => !el.classList.contains("pinned"));
      list.insertBefore(row, t.pinned ? list.firstChild : firstUnpinned || null);
      lastId = Math.max(lastId, t.id);
    }
    const socket = window.Ruche.socket(`/ws/communities/${communityId}/`, {
      onOpen(api) { api.send({ type: "sync", after: lastId }); },
      onMessage(data) {
        if (data.type === "thread.created" || data.type === "thread.changed") upsert(data.thread);
        else if (data.type === "sync") (data.threads || []).forEach(upsert);
        else if (data.type === "reply.created" || data.type === "reply.changed") {
          const row = list.querySelector(`[data-thread-id="${data.thread_id}"] [data-reply-count]`);
          if (row) row.textContent = replyCountText(data.reply_count);
        } else if (data.type === "viewers") setViewers(data.count);
        else if (data.type === "revoked") revoked();
      },
    });
    setInterval(() => socket.send({ type: "heartbeat" }), 45000);
  }

  /* --- Thread page --------------------------------------------------------------------- */
  function replyItem(r) {
    const li = document.createElement("li");
    li.className = "reply live-new";
    li.id = `reply-${r.id}`;
    li.dataset.replyId = r.id;
    const who = document.createElement("p");
    who.className = "reply-meta muted";
    who.textContent = r.author;
    const body = document.createElement("div");
    body.className = "user-text";
    // The HTML was sanitised by the server (core.html.render_user_text) when it was written.
    body.innerHTML = r.html;
    li.append(who, body);
    return li;
  }

  function startThread(article) {
    const threadId = article.dataset.threadId;
    const list = document.querySelector("[data-live-replies]");
    let lastId = 0;
    document.querySelectorAll("[data-reply-id]").forEach((el) => {
      lastId = Math.max(lastId, parseInt(el.dataset.replyId, 10) || 0);
    });
    function addReply(r, replyCount) {
      const existing = document.querySelector(`[data-reply-id="${r.id}"]`);
      if (r.hidden) {
        if (existing) existing.replaceWith(Object.assign(document.createElement("p"), { className: "muted", textContent: labels.reply_hidden }));
        return;
      }
      lastId = Math.max(lastId, r.id);
      if (existing || !list) return;
      const parent = r.parent ? document.querySelector(`[data-reply-id="${r.parent}"] [data-children]`) : null;
      (parent || list).append(replyItem(r));
      const empty = list.querySelector("[data-empty]");
      if (empty) empty.remove();
      if (replyCount !== undefined) document.querySelectorAll("[data-thread-reply-count]").forEach((el) => { el.textContent = replyCountText(replyCount); });
    }
    const socket = window.Ruche.socket(`/ws/communities/threads/${threadId}/`, {
      onOpen(api) { api.send({ type: "sync", after: lastId }); },
      onMessage(data) {
        if (data.type === "reply.created") addReply(data.reply, data.reply_count);
        else if (data.type === "reply.changed") addReply(data.reply, data.reply_count);
        else if (data.type === "sync") (data.replies || []).forEach((r) => addReply(r));
        else if (data.type === "thread.changed") {
          const state = document.querySelector("[data-testid=question-state]");
          if (data.thread.hidden) { revoked(); return; }
          if (state && data.thread.answered) { state.textContent = labels.answered; state.classList.add("answered"); }
          document.querySelectorAll("[data-reply-id].accepted").forEach((el) => el.classList.remove("accepted"));
          if (data.thread.accepted_reply) {
            const accepted = document.querySelector(`[data-reply-id="${data.thread.accepted_reply}"]`);
            if (accepted) accepted.classList.add("accepted");
          }
        } else if (data.type === "viewers") setViewers(data.count);
        else if (data.type === "revoked") revoked();
      },
    });
    setInterval(() => socket.send({ type: "heartbeat" }), 45000);
  }

  const list = document.querySelector("[data-live-threads]");
  if (list) startCommunity(list);
  const article = document.querySelector("[data-live-thread]");
  if (article) startThread(article);
})();
