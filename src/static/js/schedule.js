// The "Schedule" section of an item's page (planning). The server answers a refused change
// (400) with the section itself, the reason beside its field and what was typed kept: swap it
// in instead of treating it as a failed request. After any swap, focus goes to what the
// person should read next (the reason, or the sentence saying what moved), since the control
// they used was replaced.
(function () {
  "use strict";

  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.id === "schedule-panel") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    const config = event.detail.requestConfig;
    if (!target || target.id !== "schedule-panel" || !config || config.verb !== "post") return;
    const panel = document.getElementById("schedule-panel");
    const next = panel && panel.querySelector("[data-schedule-focus]");
    if (next) next.focus();
  });
})();
