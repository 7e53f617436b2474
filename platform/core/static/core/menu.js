/* Ruche: the header's menu button on narrow screens. The button is hidden until this script
   runs, so that without JavaScript the menu simply stays open. Its visibility on wide screens
   is the style sheet's business (ruche.css, "Phone layout"). */
(function () {
  "use strict";

  const button = document.querySelector("[data-menu-button]");
  if (!button) return;
  const menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  const header = button.closest(".site-header");

  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  }

  header.classList.add("has-menu-button");
  button.hidden = false;
  set(false);

  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    set(open);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    if (getComputedStyle(button).display === "none") return;
    set(false);
    button.focus();
  });
})();
