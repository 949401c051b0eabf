// Files in the conversation: drop or paste them, see the upload's progress.
// - Dropping files on a [data-dropzone] form puts them in its file input; the files-only form
//   sends at once, the comment form keeps them until "Comment".
// - Pasting a picture into a comment box attaches it to that comment.
// - htmx reports upload progress; the form's <progress> shows it.
(() => {
  "use strict";

  const inputOf = (form) => form.querySelector("input[type=file][name=files]");

  const add = (form, files) => {
    const input = inputOf(form);
    if (!input || !files.length) return;
    const merged = new DataTransfer();
    [...input.files, ...files].forEach((file) => merged.items.add(file));
    input.files = merged.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  };

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    const form = input.closest("form");
    if (!form) return;
    const chosen = form.querySelector("[data-chosen-files]");
    if (chosen) {
      chosen.textContent = [...input.files].map((file) => file.name).join(", ");
    }
    if (input.hasAttribute("data-autosubmit") && input.files.length) form.requestSubmit();
  });

  document.addEventListener("dragover", (event) => {
    const form = event.target.closest && event.target.closest("[data-dropzone]");
    if (!form) return;
    event.preventDefault();
    form.classList.add("dropzone-active");
  });
  document.addEventListener("dragleave", (event) => {
    const form = event.target.closest && event.target.closest("[data-dropzone]");
    if (form) form.classList.remove("dropzone-active");
  });
  document.addEventListener("drop", (event) => {
    const form = event.target.closest && event.target.closest("[data-dropzone]");
    if (!form) return;
    event.preventDefault();
    form.classList.remove("dropzone-active");
    add(form, [...event.dataTransfer.files]);
  });

  document.addEventListener("paste", (event) => {
    const area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.form || !inputOf(area.form)) return;
    const pictures = [...event.clipboardData.files].filter((file) => file.type.startsWith("image/"));
    if (pictures.length) add(area.form, pictures);
  });

  // The conversation answers a refusal (400) with the panel itself, its sentence in place and
  // the words kept: swap it in rather than treating it as a failed request.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.id === "conversation") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:xhr:progress", (event) => {
    const form = event.target.closest && event.target.closest("form");
    const bar = form && form.querySelector(".upload-progress");
    if (!bar || !event.detail.lengthComputable) return;
    bar.classList.remove("hidden");
    bar.value = Math.round((100 * event.detail.loaded) / event.detail.total);
  });
})();
