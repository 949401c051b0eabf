// Light, dark, or the system's preference: applied before the first paint (this file is
// loaded in <head> without `defer`, because the strict CSP allows no inline script), then kept
// in step with the header's chooser and, in "system" mode, with the operating system.
(function () {
  "use strict";

  const KEY = "obcms.theme";
  const CHOICES = ["light", "dark", "system"];
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  const root = document.documentElement;

  function chosen() {
    let value = null;
    try { value = window.localStorage.getItem(KEY); } catch (error) { /* storage blocked */ }
    return CHOICES.includes(value) ? value : "system";
  }

  function apply(choice) {
    const dark = choice === "dark" || (choice === "system" && systemDark.matches);
    root.classList.toggle("dark", dark);
    // FullCalendar 7's own palette follows this attribute.
    root.dataset.colorScheme = dark ? "dark" : "light";
    root.dataset.theme = choice;
    document.dispatchEvent(new CustomEvent("obcms:theme", { detail: { choice, dark } }));
  }

  apply(chosen());
  systemDark.addEventListener("change", () => apply(chosen()));
  // Another tab changed the choice.
  window.addEventListener("storage", (event) => { if (event.key === KEY) apply(chosen()); });

  document.addEventListener("DOMContentLoaded", () => {
    const select = document.getElementById("theme-choice");
    if (!select) return;
    select.value = chosen();
    select.addEventListener("change", () => {
      try { window.localStorage.setItem(KEY, select.value); } catch (error) { /* kept for this page */ }
      apply(select.value);
    });
  });
})();
