// The work item form: progress that is rolled up from children is locked while the mode is
// automatic, with the reason beside it; switching to "set by hand" unlocks it at once.
(function () {
  "use strict";

  const box = document.querySelector("[data-progress]");
  const children = box ? Number(box.dataset.children || 0) : 0;
  if (children) {
    const mode = document.getElementById("id_progress_mode");
    const input = document.getElementById("id_progress");
    const reason = box.querySelector("[data-progress-reason]");
    const follow = () => {
      const automatic = mode.value === "auto";
      input.disabled = automatic;
      reason.hidden = !automatic;
      if (automatic) input.setAttribute("aria-describedby", reason.id);
      else input.removeAttribute("aria-describedby");
    };
    mode.addEventListener("change", follow);
    follow();
  }

  // A colour kept from before the palette has no stylesheet rule: paint its swatch here.
  document.querySelectorAll(".swatch[data-colour]").forEach((swatch) => {
    if (/^#[0-9A-F]{6}$/i.test(swatch.dataset.colour)) {
      swatch.style.backgroundColor = swatch.dataset.colour;
    }
  });
})();
