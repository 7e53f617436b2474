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

  function revoked(text) {
    const main = document.getElementById("main");
    const note = document.createElement("p");
    note.className = "message error";
    note.setAttribute("role", "alert");
    note.textContent = text || labels.removed;
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
        else if (data.type === "revoked") revoked(labels.removed);
      },
    });
    setInterval(() => socket.send({ type: "heartbeat" }), 45000);
  }

  /* --- Thread page --------------------------------------------------------------------- */
  // Replies use the markup of interactions' comment list (li.comment#comment-<id>).
  function replyItem(r) {
    const li = document.createElement("li");
    li.className = "comment live-new" + (r.parent ? " reply" : "");
    li.id = `comment-${r.id}`;
    const article = document.createElement("article");
    const meta = document.createElement("header");
    meta.className = "comment-meta";
    const who = document.createElement("strong");
    who.textContent = r.author;
    meta.append(who);
    const body = document.createElement("div");
    body.className = "comment-body";
    // Sanitised by the server (core.html.render_user_text) when it was written.
    body.innerHTML = r.html;
    article.append(meta, body);
    li.append(article);
    return li;
  }

  function startThread(article) {
    const threadId = article.dataset.threadId;
    const list = document.querySelector("[data-live-replies]");
    const idOf = (el) => parseInt(el.id.replace("comment-", ""), 10) || 0;
    let lastId = 0;
    if (list) list.querySelectorAll("li.comment[id^='comment-']").forEach((el) => { lastId = Math.max(lastId, idOf(el)); });
    function addReply(r, replyCount) {
      const existing = document.getElementById(`comment-${r.id}`);
      if (r.hidden) {
        const body = existing && existing.querySelector(".comment-body");
        if (body) body.textContent = labels.reply_hidden;
        return;
      }
      lastId = Math.max(lastId, r.id);
      if (replyCount !== undefined) {
        document.querySelectorAll("[data-thread-reply-count]").forEach((el) => { el.textContent = replyCountText(replyCount); });
      }
      if (existing) {
        // An edited reply: show its new (server-sanitised) text.
        const body = existing.querySelector(":scope > article .comment-body");
        if (body && r.html) body.innerHTML = r.html;
        return;
      }
      if (!list) return;
      const empty = list.querySelector("[data-empty]");
      if (empty) empty.remove();
      const parent = r.parent ? document.getElementById(`comment-${r.parent}`) : null;
      if (parent) {
        let nested = parent.querySelector(":scope > ol.comment-replies");
        if (!nested) {
          nested = document.createElement("ol");
          nested.className = "comment-replies";
          parent.append(nested);
        }
        nested.append(replyItem(r));
      } else {
        list.append(replyItem(r));
      }
    }
    const socket = window.Ruche.socket(`/ws/communities/threads/${threadId}/`, {
      onOpen(api) { api.send({ type: "sync", after: lastId }); },
      onMessage(data) {
        if (data.type === "reply.created" || data.type === "reply.changed") addReply(data.reply, data.reply_count);
        else if (data.type === "sync") (data.replies || []).forEach((r) => addReply(r));
        else if (data.type === "thread.changed") {
          if (data.thread.hidden) { revoked(labels.thread_hidden); return; }
          const state = document.querySelector("[data-testid=question-state]");
          if (state) {
            state.textContent = data.thread.answered ? labels.answered : labels.question;
            state.classList.toggle("answered", data.thread.answered);
          }
        } else if (data.type === "viewers") setViewers(data.count);
        else if (data.type === "revoked") revoked(labels.removed);
      },
    });
    setInterval(() => socket.send({ type: "heartbeat" }), 45000);
  }

  const list = document.querySelector("[data-live-threads]");
  if (list) startCommunity(list);
  const article = document.querySelector("[data-live-thread]");
  if (article) startThread(article);
})();
