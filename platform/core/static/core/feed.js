/* Home feed: "Load more" appends the next page without reloading.
   Without JavaScript the link simply opens the next page (progressive enhancement). */
(function () {
  "use strict";
  const list = document.querySelector("[data-feed-list]");
  if (!list) return;
  list.addEventListener("click", (event) => {
    const link = event.target.closest("[data-feed-more]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    const wrap = link.closest("[data-feed-more-wrap]");
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("partial", "feed");
    link.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then((html) => {
        const page = new DOMParser().parseFromString(html, "text/html");
        const first = page.body.firstElementChild;
        const nodes = Array.from(page.body.children);
        nodes.forEach((node) => list.insertBefore(document.importNode(node, true), wrap));
        wrap.remove();
        // Keyboard and screen reader users continue from the first new item.
        const firstNew = first && list.querySelector(`[data-feed-key="${first.dataset.feedKey}"] a`);
        if (firstNew) firstNew.focus();
      })
      .catch(() => { window.location.href = link.href; });
  });
})();
