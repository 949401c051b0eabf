// The "Schedule" section of an item's page (planning). Each change is answered with the whole
// section (#schedule-panel), which replaces the old one; a refused change (400) comes back the
// same way, the reason beside its field and what was typed kept: swap it in instead of treating
// it as a failed request.
//
// A person may go on typing while a change is on its way (a lag, a search, the next number).
// What they type in those moments is theirs: it is put back into the new section, and a search
// typed meanwhile is run again there. Focus goes to what the person should read next (the
// reason, or the sentence saying what moved), since the control they used was replaced, but not
// when they have moved on to another field or typed meanwhile.
(function () {
  "use strict";

  const PANEL = "schedule-panel";
  let sent = null; // the fields' values and the focus when a change was sent
  let meanwhile = null; // what the person changed since then, taken just before the swap

  const fieldsOf = (root) =>
    root ? [...root.querySelectorAll("input[id]:not([type=hidden]):not([type=submit])")] : [];
  const isPanel = (element) => Boolean(element && element.id === PANEL);

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (!isPanel(event.detail.target)) return;
    const values = new Map(fieldsOf(event.detail.target).map((field) => [field.id, field.value]));
    sent = { values, focused: document.activeElement };
    meanwhile = null;
  });

  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (!isPanel(target)) return;
    if (event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    if (!event.detail.shouldSwap || !sent) return;
    const typed = fieldsOf(target).filter(
      (field) => sent.values.has(field.id) && sent.values.get(field.id) !== field.value,
    );
    const active = document.activeElement;
    meanwhile = {
      typed: typed.map((field) => [field.id, field.value]),
      movedOn: Boolean(active && active !== document.body && active !== sent.focused),
    };
  });

  // With the panel's "settle:0ms" (and the section's first load, see schedule_views.section)
  // this runs in the same step as the swap: the new fields are already wired to htmx (a search
  // typed meanwhile can run again) and nothing the person does can fall in between.
  document.addEventListener("htmx:afterSettle", (event) => {
    const panel = event.target;
    const config = event.detail.requestConfig;
    if (!isPanel(panel) || !config || config.verb !== "post") return;
    const kept = meanwhile || { typed: [], movedOn: false };
    sent = null;
    meanwhile = null;
    for (const [id, value] of kept.typed) {
      const field = document.getElementById(id);
      if (!field || !panel.contains(field)) continue;
      field.value = value;
      if (field.type === "search" && value.trim()) window.htmx.trigger(field, "search");
    }
    if (kept.movedOn || kept.typed.length) return;
    const next = panel.querySelector("[data-schedule-focus]");
    if (next) next.focus();
  });
})();
