/* Ruche in Wagtail's admin: two typing boxes of the page editor that Wagtail draws in place of
   a labelled input have no accessible name of their own (axe-core: "label", critical, and
   "aria-input-field-name", serious). Name each after its field's label:
   - the tag field's box (tag-it draws <ul class="tagit"><input> beside the hidden input),
   - a rich-text block's Draftail editor (a contenteditable role="textbox"). */
(function () {
  "use strict";

  function labelOf(field) {
    const label = field && (field.querySelector("label.w-field__label") || field.querySelector("label"));
    if (!label) return null;
    if (!label.id) label.id = `ruche-label-${Math.random().toString(36).slice(2, 10)}`;
    return label;
  }

  function headingOf(block) {
    const heading = block && block.querySelector("[data-panel-heading-text], .w-panel__heading");
    if (!heading || !heading.textContent.trim()) return null;
    if (!heading.id) heading.id = `ruche-heading-${Math.random().toString(36).slice(2, 10)}`;
    return heading;
  }

  function unnamed(el) {
    return !el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby");
  }

  function name() {
    document.querySelectorAll("input[data-controller~='w-tag'][id]").forEach((input) => {
      const box = input.parentElement.querySelector("ul.tagit input");
      if (!box || !unnamed(box)) return;
      const label = document.getElementById(`${input.id}-label`) ||
        document.querySelector(`label[for="${input.id}"]`);
      if (!label) return;
      if (!label.id) label.id = `${input.id}-label`;
      box.setAttribute("aria-labelledby", label.id);
      const help = input.getAttribute("aria-describedby");
      if (help) box.setAttribute("aria-describedby", help);
    });
    document.querySelectorAll(".public-DraftEditor-content[role='textbox']").forEach((box) => {
      if (!unnamed(box)) return;
      // A field's own label; in a StreamField block, the block's heading ("Paragraph").
      const label = labelOf(box.closest(".w-field")) ||
        headingOf(box.closest("[data-streamfield-child]") || box.closest("section"));
      if (label) box.setAttribute("aria-labelledby", label.id);
    });
  }

  function start() {
    name();
    new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
