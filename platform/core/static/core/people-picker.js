/* People picker and @-mention autocomplete (issue 11, item 4).
 *
 * - <input data-people-picker="/people/pick/">: one person. The visible box shows the name;
 *   a hidden input with the field's name submits the username once someone is chosen (what
 *   was typed, otherwise: the server also accepts a full name that matches one person).
 * - <textarea data-mentions> and [contenteditable][data-mentions]: typing "@" and letters
 *   offers people; choosing inserts "@username ".
 *
 * Keyboard (WAI-ARIA combobox with a listbox popup): ArrowDown / ArrowUp move through the
 * suggestions (aria-activedescendant), Enter chooses, Escape closes, Tab leaves. Suggestions
 * come from GET /people/pick/?q= (people.views.pick), visible active people only.
 * No inline script anywhere (Content-Security-Policy): this file is loaded with <script src>,
 * possibly more than once on a page, so it runs once. Fields added later (live replies) are
 * enhanced when they first get the focus.
 */
(function () {
  "use strict";
  if (window.RuchePeoplePicker) {
    return;
  }
  var script = document.currentScript;
  var DEFAULT_URL = (script && script.dataset.pickUrl) || "/people/pick/";
  var lang = (document.documentElement.lang || "fr").slice(0, 2);
  var FALLBACK = {
    fr: { label: "Suggestions de collègues", none: "Personne ne correspond.", count: "%s suggestion(s)" },
    en: { label: "Colleague suggestions", none: "Nobody matches.", count: "%s suggestion(s)" },
  };
  function text(key) {
    var fromTemplate = script && script.dataset[key];
    return fromTemplate || (FALLBACK[lang] || FALLBACK.en)[key];
  }
  var DELAY_MS = 150;
  var counter = 0;

  function fetchPeople(url, query) {
    var address = url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
    return fetch(address, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) {
        return { results: [] };
      }
      return response.json();
    });
  }

  /* One listbox popup tied to a field (the combobox). `onChoose(person)` is called with the
   * chosen suggestion; the caller decides what choosing means. */
  function Popup(field, onChoose) {
    counter += 1;
    this.field = field;
    this.onChoose = onChoose;
    this.id = "people-picker-" + counter;
    this.people = [];
    this.active = -1;
    this.list = document.createElement("ul");
    this.list.id = this.id + "-list";
    this.list.className = "people-picker-list";
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", text("label"));
    this.list.hidden = true;
    this.status = document.createElement("span");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    // The field is not moved (it may have the focus already): the list follows it, and its
    // container positions it.
    field.parentNode.classList.add("people-picker-host");
    field.insertAdjacentElement("afterend", this.status);
    field.insertAdjacentElement("afterend", this.list);
    field.setAttribute("aria-controls", this.list.id);
    field.setAttribute("aria-autocomplete", "list");
    var self = this;
    // mousedown, not click: choosing must happen before the field's blur closes the list.
    this.list.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        event.preventDefault();
        self.choose(Number(option.dataset.index));
      }
    });
    field.addEventListener("blur", function () {
      window.setTimeout(function () {
        self.close();
      }, 100);
    });
  }

  Popup.prototype.isOpen = function () {
    return !this.list.hidden;
  };

  Popup.prototype.show = function (people) {
    this.people = people;
    this.active = -1;
    this.list.textContent = "";
    this.field.removeAttribute("aria-activedescendant");
    var self = this;
    people.forEach(function (person, index) {
      var option = document.createElement("li");
      option.id = self.id + "-option-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.index = String(index);
      option.className = "people-picker-option";
      var name = document.createElement("span");
      name.className = "people-picker-name";
      name.textContent = person.name;
      var detail = document.createElement("span");
      detail.className = "people-picker-detail";
      detail.textContent = ["@" + person.username, person.job_title, person.department]
        .filter(Boolean)
        .join(" · ");
      option.appendChild(name);
      option.appendChild(detail);
      self.list.appendChild(option);
    });
    if (!people.length) {
      var empty = document.createElement("li");
      empty.className = "people-picker-empty";
      empty.setAttribute("role", "option");
      empty.setAttribute("aria-disabled", "true");
      empty.setAttribute("aria-selected", "false");
      empty.id = this.id + "-empty";
      empty.textContent = text("none");
      this.list.appendChild(empty);
    }
    this.list.hidden = false;
    this.setExpanded(true);
    this.status.textContent = people.length
      ? text("count").replace("%s", String(people.length))
      : text("none");
  };

  Popup.prototype.setExpanded = function (expanded) {
    if (this.field.getAttribute("role") === "combobox") {
      this.field.setAttribute("aria-expanded", expanded ? "true" : "false");
    }
  };

  Popup.prototype.close = function () {
    if (!this.isOpen()) {
      return;
    }
    this.list.hidden = true;
    this.active = -1;
    this.field.removeAttribute("aria-activedescendant");
    this.setExpanded(false);
  };

  Popup.prototype.move = function (step) {
    if (!this.people.length) {
      return;
    }
    var next = this.active + step;
    if (next < 0) {
      next = this.people.length - 1;
    } else if (next >= this.people.length) {
      next = 0;
    }
    var options = this.list.querySelectorAll(".people-picker-option");
    if (this.active >= 0 && options[this.active]) {
      options[this.active].setAttribute("aria-selected", "false");
    }
    this.active = next;
    options[next].setAttribute("aria-selected", "true");
    options[next].scrollIntoView({ block: "nearest" });
    this.field.setAttribute("aria-activedescendant", options[next].id);
  };

  Popup.prototype.choose = function (index) {
    var person = this.people[index];
    this.close();
    if (person) {
      this.onChoose(person);
    }
  };

  /* Arrow keys, Enter and Escape while the popup is open; returns true when handled. */
  Popup.prototype.handleKey = function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!this.isOpen()) {
        return false;
      }
      event.preventDefault();
      this.move(event.key === "ArrowDown" ? 1 : -1);
      return true;
    }
    if (event.key === "Enter" && this.isOpen() && this.active >= 0) {
      event.preventDefault();
      this.choose(this.active);
      return true;
    }
    if (event.key === "Escape" && this.isOpen()) {
      event.preventDefault();
      this.close();
      return true;
    }
    if (event.key === "Tab") {
      this.close();
    }
    return false;
  };

  function debounce(fn) {
    var timer = null;
    return function () {
      var args = arguments;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        fn.apply(null, args);
      }, DELAY_MS);
    };
  }

  /* --- One person: <input data-people-picker> ------------------------------------------- */
  function enhancePicker(input) {
    if (input.dataset.peoplePickerReady) {
      return;
    }
    input.dataset.peoplePickerReady = "1";
    var url = input.getAttribute("data-people-picker");
    if (!url || url.charAt(0) !== "/") {
      url = DEFAULT_URL;
    }
    // The visible box shows the name; this hidden input submits the username.
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.value;
    input.removeAttribute("name");
    input.dataset.peoplePickerName = hidden.name;
    input.insertAdjacentElement("afterend", hidden);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    var popup = new Popup(input, function (person) {
      input.value = person.name;
      hidden.value = person.username;
      input.dispatchEvent(new CustomEvent("people-picker:chosen", { detail: person, bubbles: true }));
    });
    var lastQuery = "";
    var suggest = debounce(function (query) {
      if (query !== input.value.trim()) {
        return; // typed on since
      }
      fetchPeople(url, query).then(function (data) {
        if (query === input.value.trim() && document.activeElement === input) {
          popup.show(data.results || []);
        }
      });
    });
    input.addEventListener("input", function () {
      var query = input.value.trim();
      hidden.value = query; // typed, not chosen: the server resolves a unique full name
      if (!query) {
        popup.close();
        return;
      }
      if (query !== lastQuery) {
        lastQuery = query;
        suggest(query);
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !popup.isOpen() && input.value.trim()) {
        event.preventDefault();
        lastQuery = "";
        suggest(input.value.trim());
        return;
      }
      popup.handleKey(event);
    });
    // A username given back by the server (a form shown again) reads as the person's name.
    var initial = hidden.value.trim();
    if (initial && initial.indexOf(" ") === -1) {
      fetchPeople(url, initial).then(function (data) {
        var match = (data.results || []).filter(function (p) {
          return p.username.toLowerCase() === initial.toLowerCase();
        })[0];
        if (match && input.value.trim() === initial) {
          input.value = match.name;
          hidden.value = match.username;
        }
      });
    }
  }

  /* --- @mentions: <textarea data-mentions>, [contenteditable][data-mentions] -------------- */
  // "@" at the start or after a space or punctuation (not in an e-mail address), then letters.
  var MENTION_BEFORE_CARET = /(^|[^\w@.+-])@([\w][\w.+-]{0,40})$/;

  function textBeforeCaret(field) {
    if (field.isContentEditable) {
      var selection = window.getSelection();
      if (!selection.rangeCount || !selection.isCollapsed) {
        return null;
      }
      var range = selection.getRangeAt(0);
      if (range.startContainer.nodeType !== Node.TEXT_NODE || !field.contains(range.startContainer)) {
        return null;
      }
      return {
        text: range.startContainer.textContent.slice(0, range.startOffset),
        node: range.startContainer,
        offset: range.startOffset,
      };
    }
    if (field.selectionStart !== field.selectionEnd) {
      return null;
    }
    return { text: field.value.slice(0, field.selectionStart), offset: field.selectionStart };
  }

  function insertMention(field, context, query, username) {
    var insert = "@" + username + " ";
    var start = context.offset - query.length - 1; // the "@" itself
    if (field.isContentEditable) {
      var node = context.node;
      var content = node.textContent;
      node.textContent = content.slice(0, start) + insert + content.slice(context.offset);
      var range = document.createRange();
      range.setStart(node, start + insert.length);
      range.collapse(true);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    } else {
      var value = field.value;
      field.value = value.slice(0, start) + insert + value.slice(context.offset);
      var caret = start + insert.length;
      field.setSelectionRange(caret, caret);
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
  }

  function enhanceMentions(field) {
    if (field.dataset.mentionsReady) {
      return;
    }
    field.dataset.mentionsReady = "1";
    var url = field.getAttribute("data-mentions");
    if (!url || url.charAt(0) !== "/") {
      url = DEFAULT_URL;
    }
    var pending = null; // {context, query} of the mention being typed
    var inserting = false;
    var popup = new Popup(field, function (person) {
      if (pending) {
        inserting = true;
        insertMention(field, pending.context, pending.query, person.username);
        inserting = false;
        pending = null;
      }
    });
    var suggest = debounce(function (query) {
      fetchPeople(url, query).then(function (data) {
        if (pending && pending.query === query && document.activeElement === field) {
          popup.show(data.results || []);
        }
      });
    });
    field.addEventListener("input", function () {
      if (inserting) {
        return;
      }
      var context = textBeforeCaret(field);
      var match = context && MENTION_BEFORE_CARET.exec(context.text);
      if (!match) {
        pending = null;
        popup.close();
        return;
      }
      pending = { context: context, query: match[2] };
      suggest(match[2]);
    });
    field.addEventListener("keydown", function (event) {
      if (popup.isOpen()) {
        popup.handleKey(event);
      }
    });
  }

  var PICKERS = "input[data-people-picker]";
  var MENTIONS = "textarea[data-mentions], [contenteditable][data-mentions]";

  function enhance(root) {
    root = root || document;
    if (root instanceof Element && root.matches(PICKERS)) enhancePicker(root);
    if (root instanceof Element && root.matches(MENTIONS)) enhanceMentions(root);
    root.querySelectorAll(PICKERS).forEach(enhancePicker);
    root.querySelectorAll(MENTIONS).forEach(enhanceMentions);
  }

  // Fields written into the page later (a reply form, the composer) are enhanced on focus.
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    if (target.matches("input[data-people-picker]")) {
      enhancePicker(target);
    } else if (target.matches("textarea[data-mentions], [contenteditable][data-mentions]")) {
      enhanceMentions(target);
    }
  });

  // ...and as soon as they arrive (a live reply brings its reply form): the page looks the
  // same whether a reply came over the websocket or with a reload.
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node instanceof Element) {
          enhance(node);
        }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });

  window.RuchePeoplePicker = { enhance: enhance };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhance(document);
    });
  } else {
    enhance(document);
  }
})();
