/* Ruche in Wagtail's admin: the tag field's typing box (drawn by Tagify in place of the real,
   hidden input) has no label of its own; give it the field's label so that a screen reader
   announces "Tags" rather than an unnamed text box. */
(function () {
  "use strict";

  function name(root) {
    root.querySelectorAll("tags.tagify").forEach((tags) => {
      const box = tags.querySelector(".tagify__input");
      if (!box || box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) return;
      const input = tags.parentElement.querySelector("input[id], textarea[id]");
      const label = input && document.querySelector(`label[for="${input.id}"]`);
      if (!label) return;
      if (!label.id) label.id = `${input.id}-label`;
      box.setAttribute("aria-labelledby", label.id);
    });
  }

  function start() {
    name(document);
    new MutationObserver(() => name(document)).observe(document.body, {
      childList: true,
      subtree: true,
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
