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

  document.addEventListener("htmx:responseError", function (event) {
    const xhr = event.detail.xhr;
    const text = (xhr.responseText || "").trim();
    showMessage(text && text.length < 500 && !text.startsWith("<") ? text
      : "The change was refused (" + xhr.status + ").", "error");
  });
  document.addEventListener("htmx:sendError", function () {
    showMessage("The server could not be reached. Nothing was changed.", "error");
  });
})();
