/* Reactions without a page reload (progressive enhancement: the forms work without it). */
(function () {
  "use strict";
  if (window.RucheInteractions) return;
  window.RucheInteractions = true;

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-interactions-reactions]")) return;
    const button = event.submitter;
    if (!button || !button.dataset.kind || !window.fetch) return;
    event.preventDefault();
    const body = new FormData(form);
    body.set("kind", button.dataset.kind);
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch (e) {
      form.submit();
      return;
    }
    if (!response.ok) {
      window.location.reload();
      return;
    }
    const data = await response.json();
    form.querySelectorAll("button[data-kind]").forEach((el) => {
      const kind = el.dataset.kind;
      const mine = data.mine.includes(kind);
      el.setAttribute("aria-pressed", mine ? "true" : "false");
      el.classList.toggle("mine", mine);
      const count = el.querySelector("[data-count]");
      if (count) count.textContent = String(data.counts[kind] || 0);
    });
  });
})();
