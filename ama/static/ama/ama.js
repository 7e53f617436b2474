/* A live ask-me-anything session: new questions, votes and answers appear for everyone on the
   page without reload. Every frame is numbered (`seq`, ama.live); a number skipped, or a
   heartbeat reporting a higher one, makes the page ask for a `sync`, which brings the whole
   board again. Frames carry only what every viewer may know (never an anonymous author). */
(function () {
  "use strict";
  const page = document.querySelector("[data-ama-session]");
  if (!page || !window.Ruche) return;
  const labels = JSON.parse(document.getElementById("ama-live-labels").textContent);
  const waiting = document.querySelector("[data-ama-waiting]");
  const answered = document.querySelector("[data-ama-answered]");
  const sessionId = page.dataset.amaSession;
  const canUpvote = page.dataset.canUpvote === "1";
  const isHost = page.dataset.isHost === "1";
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]");
  let last = parseInt(page.dataset.liveSeq || "0", 10) || 0;
  let syncTimer = null;

  const votesText = (n) => (n === 1 ? labels.votes_one : labels.votes_many.replace("%(n)s", n));

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function newRow(q) {
    const li = element("li", "card ama-question");
    li.id = `question-${q.id}`;
    li.dataset.questionId = q.id;
    li.appendChild(element("p", "ama-text", q.text));
    const meta = element("p", "muted");
    const author = element("span", "", q.author || labels.anonymous);
    author.dataset.author = "";
    const votes = element("span", "", votesText(q.votes));
    votes.dataset.votesLabel = "";
    meta.append(author, " · ", votes);
    li.appendChild(meta);
    if (canUpvote && !q.answer && csrf) {
      const form = element("form", "inline");
      form.method = "post";
      form.action = page.dataset.upvoteUrl.replace("/0/", `/${q.id}/`);
      form.dataset.upvote = "";
      const token = csrf.cloneNode();
      form.append(token, element("button", "button", labels.upvote));
      li.appendChild(form);
    }
    if (isHost && !q.answer && csrf) {
      const form = element("form", "ama-answer-form");
      form.method = "post";
      form.action = page.dataset.answerUrl.replace("/0/", `/${q.id}/`);
      form.dataset.answerForm = "";
      const label = element("label", "", labels.your_answer);
      label.htmlFor = `answer-${q.id}`;
      const text = element("textarea");
      text.id = label.htmlFor;
      text.name = "text";
      text.rows = 3;
      text.required = true;
      form.append(csrf.cloneNode(), label, text, element("button", "button primary", labels.answer));
      li.appendChild(form);
    }
    return li;
  }

  function upsert(q) {
    let row = document.getElementById(`question-${q.id}`);
    if (q.hidden) {
      if (row && !row.classList.contains("hidden")) row.remove();
      return refreshEmpty();
    }
    if (!row) row = newRow(q);
    row.dataset.votes = q.votes;
    const votes = row.querySelector("[data-votes-label]");
    if (votes) votes.textContent = votesText(q.votes);
    if (q.answer) {
      row.querySelectorAll("[data-upvote], [data-answer-form]").forEach((el) => el.remove());
      const box = element("div", "ama-answer");
      box.dataset.answer = "";
      if (q.answer.hidden) box.append(element("p", "moderation-note", labels.hidden));
      else box.append(element("p", "muted", labels.answered), element("p", "", q.answer.text));
      const previous = row.querySelector("[data-answer]");
      if (previous) previous.replaceWith(box);
      else row.appendChild(box);
      answered.prepend(row);
    } else {
      // Waiting questions by votes, then by time (the host's order).
      const rows = Array.from(waiting.children).filter((el) => el !== row);
      const before = rows.find((el) => parseInt(el.dataset.votes, 10) < q.votes);
      waiting.insertBefore(row, before || null);
    }
    refreshEmpty();
  }

  function refreshEmpty() {
    document.querySelector("[data-ama-waiting-empty]").hidden = waiting.children.length > 0;
    document.querySelector("[data-ama-answered-empty]").hidden = answered.children.length > 0;
  }

  let socket = null;
  function gap() {
    if (syncTimer) return;
    syncTimer = setTimeout(() => {
      syncTimer = null;
      socket.send({ type: "sync" });
    }, 1000);
  }

  socket = window.Ruche.socket(`/ws/ama/${sessionId}/`, {
    onMessage(data) {
      if (data.type === "question.created" || data.type === "question.changed") {
        upsert(data.question);
        if (data.seq === last + 1 || data.seq <= last) last = Math.max(last, data.seq);
        else gap();
      } else if (data.type === "sync") {
        data.questions.forEach(upsert);
        last = Math.max(last, data.seq);
      } else if (data.type === "hello" || data.type === "heartbeat") {
        if (data.seq > last) gap();
      }
    },
  });
  setInterval(() => socket.send({ type: "heartbeat" }), 10000);
})();
