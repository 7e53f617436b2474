/* Live community and thread pages: new threads and replies appear without reload, and the
   number of people viewing is shown. Re-syncs what was missed after each reconnection and
   after any lost frame (a gap in the page's sequence numbers). */
(function () {
  "use strict";
  const labelsNode = document.getElementById("community-live-labels");
  const labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
  const fmt = (text, n) => String(text || "").replace("%(n)s", n);

  // Counts arrive from heartbeats and from broadcasts, not always in the order they were
  // read: keep the newest (`at`, when the server read it), never a stale one.
  let viewersAt = 0;
  function setViewers(count, at) {
    if (at !== undefined) {
      if (at < viewersAt) return;
      viewersAt = at;
    }
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

  // Short heartbeats keep this page counted among the viewers; a page that stops sending them
  // (closed, crashed, offline) drops out of the count within seconds (communities.live).
  const HEARTBEAT_MS = 5000;
  function startHeartbeat(socket) {
    setInterval(() => socket.send({ type: "heartbeat" }), HEARTBEAT_MS);
    // Closing or leaving the page says goodbye at once instead of waiting for the timeout.
    window.addEventListener("pagehide", () => socket.close());
  }

  // Every live message of a page is numbered (`seq`, per page, communities.live): a number
  // skipped means a frame was lost (a channel over capacity, a network hiccup), and a viewer
  // count reporting a higher number than the last applied means the last frame was. Either
  // way the page asks for a `sync` (what it missed, rendered by the server for this reader)
  // after a short grace, in case the missing frame is only late. Applying a frame twice is
  // harmless (a row or reply is replaced), so frames are always applied.
  const GAP_GRACE_MS = 1000;
  function sequence(initial, requestSync) {
    let last = initial; // every message up to this number has been applied
    let wanted = 0; // the highest number heard of
    const ahead = new Set();
    let timer = null;
    function later() {
      if (timer || wanted <= last) return;
      timer = setTimeout(() => {
        timer = null;
        if (wanted > last) requestSync(last);
      }, GAP_GRACE_MS);
    }
    return {
      get last() { return last; },
      applied(seq) {
        if (!seq || seq <= last) return;
        if (seq === last + 1) {
          last = seq;
          while (ahead.delete(last + 1)) last += 1;
        } else {
          ahead.add(seq);
          wanted = Math.max(wanted, seq);
          later();
        }
      },
      told(seq) {
        wanted = Math.max(wanted, seq || 0);
        later();
      },
      synced(seq) {
        last = Math.max(last, seq || 0);
        ahead.forEach((n) => { if (n <= last) ahead.delete(n); });
        while (ahead.delete(last + 1)) last += 1;
        later();
      },
    };
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
    let socket = null;
    const seq = sequence(parseInt(list.dataset.liveSeq || "0", 10) || 0, (since) => {
      socket.send({ type: "sync", after: lastId, seq: since });
    });
    socket = window.Ruche.socket(`/ws/communities/${communityId}/`, {
      onOpen(api) { api.send({ type: "sync", after: lastId, seq: seq.last }); },
      onMessage(data) {
        if (data.type === "thread.created" || data.type === "thread.changed") upsert(data.thread);
        else if (data.type === "sync") (data.threads || []).forEach(upsert);
        else if (data.type === "reply.created" || data.type === "reply.changed") {
          const row = list.querySelector(`[data-thread-id="${data.thread_id}"] [data-reply-count]`);
          if (row) row.textContent = replyCountText(data.reply_count);
        } else if (data.type === "viewers") setViewers(data.count, data.at);
        else if (data.type === "revoked") revoked(labels.removed);
        if (data.type === "sync") seq.synced(data.seq);
        else if (data.type === "viewers") seq.told(data.seq);
        else seq.applied(data.seq);
      },
    });
    startHeartbeat(socket);
  }

  /* --- Thread page --------------------------------------------------------------------- */
  // Each reply arrives rendered for this reader by the server with the page's own template
  // (communities/includes/reply_live.html: interactions' comment.html and the accept form),
  // so a live reply has the same Reply, reactions, Accept, Edit and Delete as after a reload.
  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = String(html || "").trim();
    return template.content;
  }

  function lockForms(section) {
    // What a reload of a locked thread shows: no reply forms, the refusal, the text kept.
    if (!section || section.querySelector("[data-testid=reply-refused]")) return;
    section.querySelectorAll("details.comment-reply").forEach((el) => el.remove());
    const form = section.querySelector("#comment-form");
    const typed = form ? form.querySelector("textarea").value.trim() : "";
    const note = document.createElement("p");
    note.className = "reply-refused";
    note.setAttribute("role", "alert");
    note.dataset.testid = "reply-refused";
    note.textContent = labels.thread_locked;
    if (form) form.replaceWith(note); else section.append(note);
    if (typed) {
      const field = document.createElement("div");
      field.className = "field";
      const label = document.createElement("label");
      label.htmlFor = "comment-refused-text";
      label.textContent = labels.kept_text;
      const area = document.createElement("textarea");
      area.id = "comment-refused-text";
      area.rows = 4;
      area.readOnly = true;
      area.value = typed;
      field.append(label, area);
      note.after(field);
    }
  }

  function startThread(article) {
    const threadId = article.dataset.threadId;
    const list = document.querySelector("[data-live-replies]");
    const idOf = (el) => parseInt(el.id.replace("comment-", ""), 10) || 0;
    let lastId = 0;
    if (list) list.querySelectorAll("li.comment[id^='comment-']").forEach((el) => { lastId = Math.max(lastId, idOf(el)); });
    function placeReply(r, replyCount) {
      if (replyCount !== undefined) {
        document.querySelectorAll("[data-thread-reply-count]").forEach((el) => { el.textContent = replyCountText(replyCount); });
      }
      lastId = Math.max(lastId, r.id);
      const existing = document.getElementById(`comment-${r.id}`);
      if (r.gone) return;
      const content = fragment(r.html);
      const item = content.querySelector("li.comment");
      if (!item) return;
      const accept = content.querySelector("li.accept-answer");
      if (existing) {
        // Changed (edited, hidden, restored, deleted): its own part only, so that its replies
        // and a reply being typed under it stay.
        const own = existing.querySelector(":scope > article");
        const fresh = item.querySelector(":scope > article");
        if (own && fresh) own.replaceWith(fresh);
        existing.className = item.className;
        return;
      }
      if (!list) return;
      const empty = list.querySelector("[data-empty]");
      if (empty) empty.remove();
      item.classList.add("live-new");
      const parent = r.parent ? document.getElementById(`comment-${r.parent}`) : null;
      if (parent) {
        let nested = parent.querySelector(":scope > ol.comment-replies");
        if (!nested) {
          nested = document.createElement("ol");
          nested.className = "comment-replies";
          parent.insertBefore(nested, parent.querySelector(":scope > details.comment-reply"));
        }
        nested.append(item);
        const parentAccept = parent.nextElementSibling;
        if (accept && parentAccept && parentAccept.classList.contains("accept-answer")) {
          parentAccept.append(...accept.childNodes);
        }
      } else {
        list.append(item);
        if (accept) list.append(accept);
      }
    }
    function threadChanged(t) {
      if (t.hidden) { revoked(labels.thread_hidden); return; }
      const state = document.querySelector("[data-testid=question-state]");
      if (state) {
        state.textContent = t.answered ? labels.answered : labels.question;
        state.classList.toggle("answered", t.answered);
      }
      if (t.locked) lockForms(document.getElementById("comments"));
    }
    let socket = null;
    const seq = sequence(parseInt(article.dataset.liveSeq || "0", 10) || 0, (since) => {
      socket.send({ type: "sync", after: lastId, seq: since });
    });
    socket = window.Ruche.socket(`/ws/communities/threads/${threadId}/`, {
      onOpen(api) { api.send({ type: "sync", after: lastId, seq: seq.last }); },
      onMessage(data) {
        if (data.type === "reply.created" || data.type === "reply.changed") placeReply(data.reply, data.reply_count);
        else if (data.type === "sync") {
          (data.replies || []).forEach((r) => placeReply(r, data.reply_count));
          if (data.thread) threadChanged(data.thread);
        } else if (data.type === "thread.changed") threadChanged(data.thread);
        else if (data.type === "viewers") setViewers(data.count, data.at);
        else if (data.type === "revoked") revoked(labels.removed);
        if (data.type === "sync") seq.synced(data.seq);
        else if (data.type === "viewers") seq.told(data.seq);
        else seq.applied(data.seq);
      },
    });
    startHeartbeat(socket);
  }

  const list = document.querySelector("[data-live-threads]");
  if (list) startCommunity(list);
  const article = document.querySelector("[data-live-thread]");
  if (article) startThread(article);
})();
