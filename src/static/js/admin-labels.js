// Admin autocomplete selects (select2) draw a combobox and a search box with no accessible
// name. Give each the text of the original <select>'s label, now and whenever select2 redraws.
(function () {
  "use strict";

  function labelOf(select) {
    const label = document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : select.name;
  }

  function name(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      const text = labelOf(select);
      container.querySelectorAll(".select2-selection").forEach((box) => {
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", text);
      });
      container.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach((shown) => {
        shown.setAttribute("aria-label", text + ": " + (shown.textContent.trim() || "none chosen"));
      });
      container.querySelectorAll(".select2-search__field").forEach((field) => {
        field.setAttribute("aria-label", "Search " + text.toLowerCase());
      });
    });
  }

  window.addEventListener("load", () => {
    name(document);
    // childList only: our own attribute changes must not wake the observer again.
    new MutationObserver(() => name(document)).observe(document.body, { childList: true, subtree: true });
  });
})();
