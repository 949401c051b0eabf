// Site-wide behaviour: show server refusals from htmx requests in the message area.
(function () {
  "use strict";

  function showMessage(text, kind) {
    const area = document.getElementById("messages");
    if (!area) return;
    const p = document.createElement("p");
    p.className = "flash flash-" + (kind || "error");
    p.setAttribute("role", kind === "error" ? "alert" : "status");
    p.textContent = text;
    area.replaceChildren(p);
  }
  window.obcmsMessage = showMessage;

  // On a phone the main links are one row that scrolls sideways: bring the current page's
  // link into the middle of it (scrolling the row, never the page).
  document.addEventListener("DOMContentLoaded", () => {
    const active = document.querySelector(".nav-links .nav-active");
    if (!active) return;
    const row = active.parentElement;
    const link = active.getBoundingClientRect();
    const box = row.getBoundingClientRect();
    row.scrollLeft += link.left - box.left - (box.width - link.width) / 2;
  });

  document.addEventListener("htmx:responseError", function (event) {
    const xhr = event.detail.xhr;
    const text = (xhr.responseText || "").trim();
    showMessage(text && text.length < 500 && !text.startsWith("<") ? text
      : "The change was refused (" + xhr.status + ").", "error");
  });
  // "Copy" buttons: data-copy names the element whose text goes to the clipboard.
  document.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    const status = button.parentElement.querySelector("[data-copy-status]");
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      if (status) status.textContent = "Copied.";
    } catch (error) {
      window.getSelection().selectAllChildren(source);
      if (status) status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected address.";
    }
  });

  // "Save this view": pages that keep their state in the address (the calendar updates it as
  // the person navigates) save what the address says at the moment of the click.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-save-view]");
    if (!link) return;
    const query = new URLSearchParams(window.location.search);
    query.delete("page");
    query.set("type", link.dataset.saveView);
    link.href = link.pathname + "?" + query.toString();
  });

  document.addEventListener("htmx:sendError", function () {
    showMessage("The server could not be reached. Nothing was changed.", "error");
  });
})();
