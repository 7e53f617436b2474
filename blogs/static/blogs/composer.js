/* The composer (blogs/includes/composer_form.html): Quill on the body, images uploaded to Ruche,
   and a submission that never loses what was typed.

   Without this script (or without Quill) the form still works: the body is a plain text area.
   With it, the text area stays the field that is sent: it holds the editor's HTML, which Ruche
   sanitises and cuts into the post's blocks (blogs.composer).

   Publishing is sent with fetch so that a network error or a refusal leaves the page as it is,
   with a message; the form's idempotency key makes a retry or a double click create one post.
   Every sentence comes from the template (data-msg-*), in the writer's language. */
(function () {
  "use strict";

  function csrfToken(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(form, messages, kind) {
    const status = form.querySelector("[data-composer-status]");
    status.replaceChildren();
    if (!messages.length) return;
    const box = document.createElement("div");
    box.className = kind === "info" ? "message info" : "form-errors";
    for (const text of messages) {
      const p = document.createElement("p");
      p.textContent = text;
      box.append(p);
    }
    status.append(box);
  }

  function clearFieldErrors(form) {
    form.querySelectorAll("[data-composer-error]").forEach((node) => node.remove());
    form.querySelectorAll(".field.has-error").forEach((node) => node.classList.remove("has-error"));
  }

  function showFieldErrors(form, fields) {
    let first = null;
    for (const [name, errors] of Object.entries(fields || {})) {
      const input = form.querySelector(`[name="${name}"]`);
      const field = input && input.closest(".field");
      if (!field) continue;
      field.classList.add("has-error");
      for (const text of errors) {
        const p = document.createElement("p");
        p.className = "error";
        p.dataset.composerError = "";
        p.textContent = text;
        field.append(p);
      }
      first = first || input;
    }
    return first;
  }

  function init(form) {
    const textarea = form.querySelector("[data-composer-body]");
    const format = form.querySelector("[data-composer-format]");
    const toolbar = form.querySelector("[data-composer-toolbar]");
    const msg = form.dataset;
    let quill = null;

    function sync() {
      if (!quill) return;
      // Quill 2.0.3's semantic HTML writes every space as &nbsp;: plain spaces are what was typed.
      textarea.value = quill.getLength() > 1 ? quill.getSemanticHTML().replaceAll("&nbsp;", " ") : "";
      format.value = "html";
    }

    function upload(file) {
      const data = new FormData();
      data.append("file", file, file.name || "image");
      data.append("csrfmiddlewaretoken", csrfToken(form));
      say(form, [msg.msgUploading], "info");
      return fetch(msg.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
      })
        .then((response) => response.json().catch(() => ({ ok: false })))
        .then((payload) => {
          if (!payload.ok) {
            const errors = payload.errors || [];
            const fileErrors = (payload.fields && payload.fields.file) || [];
            say(form, errors.concat(fileErrors).length ? errors.concat(fileErrors) : [msg.msgUploadFailed]);
            return null;
          }
          say(form, []);
          return payload;
        })
        .catch(() => {
          say(form, [msg.msgNetwork]);
          return null;
        });
    }

    function insertUploads(range, files) {
      let index = range ? range.index : quill.getLength();
      Array.from(files).reduce(
        (chain, file) =>
          chain.then(() =>
            upload(file).then((image) => {
              if (!image) return;
              quill.insertEmbed(index, "image", image.url, "user");
              index += 1;
              quill.setSelection(index, 0, "silent");
            }),
          ),
        Promise.resolve(),
      );
    }

    function chooseImage() {
      const input = document.createElement("input");
      input.type = "file";
      input.accept = "image/*";
      input.addEventListener("change", () => {
        if (input.files.length) insertUploads(quill.getSelection(true), input.files);
      });
      input.click();
    }

    function dataUrlFile(src) {
      return fetch(src)
        .then((response) => response.blob())
        .then((blob) => new File([blob], "pasted-image", { type: blob.type }));
    }

    // A paste can bring images Ruche does not hold: another site's address (the policy forbids
    // showing it, and it would leak the reader's visit) or data: URLs. The latter are uploaded
    // like any image; the former are taken out, with a sentence saying why.
    function adoptPastedImages() {
      let foreign = false;
      quill.root.querySelectorAll("img").forEach((img) => {
        const src = img.getAttribute("src") || "";
        if (src.startsWith("/") && src.includes("image=")) return;
        const blot = Quill.find(img);
        if (!blot) return;
        const index = quill.getIndex(blot);
        quill.deleteText(index, 1, "api");
        if (src.startsWith("data:image/")) {
          dataUrlFile(src)
            .then((file) => insertUploads({ index: index }, [file]))
            .catch(() => say(form, [msg.msgUploadFailed]));
        } else {
          foreign = true;
        }
      });
      if (foreign) say(form, [msg.msgForeignImage]);
    }

    if (window.Quill && textarea && toolbar) {
      const holder = document.createElement("div");
      holder.className = "composer-editor";
      textarea.after(holder);
      textarea.hidden = true;
      toolbar.hidden = false;
      form.querySelectorAll("[data-composer-help]").forEach((node) => (node.hidden = false));
      quill = new window.Quill(holder, {
        theme: "snow",
        placeholder: textarea.dataset.placeholder,
        modules: {
          toolbar: { container: toolbar, handlers: { image: chooseImage } },
          uploader: {
            mimetypes: ["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"],
            handler: insertUploads,
          },
        },
      });
      if (textarea.value) {
        if (format.value === "html") {
          // Sanitised by Ruche when the form was shown again after a refusal.
          quill.clipboard.dangerouslyPasteHTML(textarea.value, "silent");
        } else {
          quill.setText(textarea.value, "silent");
        }
      }
      const root = quill.root;
      root.setAttribute("data-mentions", "");
      root.setAttribute("role", "textbox");
      root.setAttribute("aria-multiline", "true");
      root.setAttribute("aria-labelledby", `${textarea.id}_label`);
      root.dataset.testid = "composer-editor";
      textarea.removeAttribute("data-mentions");
      document.getElementById(`${textarea.id}_label`).addEventListener("click", () => quill.focus());
      let pending = null;
      quill.on("text-change", (delta, old, source) => {
        sync();
        if (source === "user" && !pending) {
          pending = window.setTimeout(() => {
            pending = null;
            adoptPastedImages();
            sync();
          }, 0);
        }
      });
      sync();
    }

    // Delegates prepare drafts; only the blog's owner publishes or schedules.
    const person = form.querySelector("select[name=person]");
    if (person) {
      person.addEventListener("change", () => {
        const own = person.value === msg.writer;
        form.querySelectorAll("[data-owner-only]").forEach((button) => (button.hidden = !own));
        form.querySelectorAll("[data-delegate-note]").forEach((note) => (note.hidden = own));
      });
    }

    let busy = false;
    let native = false;
    form.addEventListener("submit", (event) => {
      sync();
      const submitter = event.submitter;
      if (native || (submitter && submitter.hasAttribute("data-native-submit"))) return;
      event.preventDefault();
      if (busy) return; // a double click: the first submission is under way
      busy = true;
      const buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach((button) => (button.disabled = true));
      const data = new FormData(form);
      if (submitter && submitter.name) data.set(submitter.name, submitter.value);
      say(form, [msg.msgSending], "info");
      let leaving = false;
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then((response) =>
          response
            .json()
            .catch(() => null)
            .then((payload) => ({ response, payload })),
        )
        .then(({ response, payload }) => {
          clearFieldErrors(form);
          if (response.ok && payload && payload.ok) {
            leaving = true;
            window.location.assign(payload.redirect);
          } else if (response.status === 400 && payload) {
            say(form, [msg.msgRefused].concat(payload.errors || []));
            const first = showFieldErrors(form, payload.fields);
            if (first && !first.hidden) first.focus();
          } else if (response.status === 403) {
            // The charter gate (or a refusal with its own page): let the browser follow it,
            // the gate keeps what was typed and brings the writer back.
            leaving = true;
            native = true;
            buttons.forEach((button) => (button.disabled = false));
            form.requestSubmit(submitter || undefined);
          } else {
            say(form, [msg.msgServer]);
          }
        })
        .catch(() => say(form, [msg.msgNetwork]))
        .finally(() => {
          busy = false;
          if (!leaving) buttons.forEach((button) => (button.disabled = false));
        });
    });
  }

  document.querySelectorAll("form[data-composer]").forEach(init);
})();
