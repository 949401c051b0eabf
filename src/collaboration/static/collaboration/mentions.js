// @mention suggestions in comment boxes: type @ and a few letters, pick with the arrow keys
// and Enter (or Tab), close with Escape. The list comes from the conversation's own endpoint,
// which offers only people and teams of the item's organisation.
(() => {
  "use strict";
  let box = null; // the listbox currently open
  let active = -1;
  let timer = null;

  const tokenBefore = (area) => {
    const upto = area.value.slice(0, area.selectionStart);
    const match = upto.match(/(?:^|\s)@("?[\w.\- ]{0,40})$/);
    return match ? { text: match[1].replace(/^"/, ""), start: upto.length - match[1].length - 1 } : null;
  };

  const close = (area) => {
    if (box) box.remove();
    box = null;
    active = -1;
    if (area) {
      area.setAttribute("aria-expanded", "false");
      area.removeAttribute("aria-activedescendant");
    }
  };

  const highlight = (area, index) => {
    const options = box ? [...box.querySelectorAll("[role=option]")] : [];
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
    area.setAttribute("aria-activedescendant", options[active].id);
  };

  const choose = (area, option) => {
    const token = tokenBefore(area);
    if (!token) return close(area);
    const before = area.value.slice(0, token.start);
    const after = area.value.slice(area.selectionStart);
    const insert = `${option.dataset.insert} `;
    area.value = before + insert + after;
    const caret = before.length + insert.length;
    area.setSelectionRange(caret, caret);
    close(area);
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  };

  const open = (area, results) => {
    close(area);
    if (!results.length) return;
    box = document.createElement("ul");
    box.id = `${area.id}-mentions`;
    box.className = "mention-list";
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", "People and teams to mention");
    results.forEach((result, i) => {
      const item = document.createElement("li");
      item.id = `${box.id}-${i}`;
      item.setAttribute("role", "option");
      item.dataset.insert = result.insert;
      item.textContent = `${result.label} (${result.insert})${result.kind === "team" ? " · team" : ""}`;
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(area, item);
      });
      box.appendChild(item);
    });
    area.insertAdjacentElement("afterend", box);
    area.setAttribute("aria-controls", box.id);
    area.setAttribute("aria-expanded", "true");
    highlight(area, 0);
  };

  const suggest = (area) => {
    const token = tokenBefore(area);
    const root = area.closest("[data-mentions-url]");
    if (!token || !root) return close(area);
    const url = `${root.dataset.mentionsUrl}?q=${encodeURIComponent(token.text)}`;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((answer) => (answer.ok ? answer.json() : { results: [] }))
      .then((data) => {
        if (document.activeElement === area) open(area, data.results || []);
      })
      .catch(() => close(area));
  };

  document.addEventListener("input", (event) => {
    const area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.hasAttribute("data-mentions")) return;
    area.setAttribute("aria-autocomplete", "list");
    clearTimeout(timer);
    timer = setTimeout(() => suggest(area), 150);
  });

  document.addEventListener("keydown", (event) => {
    const area = event.target;
    if (!box || !(area instanceof HTMLTextAreaElement) || !area.hasAttribute("data-mentions")) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(area, active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" || event.key === "Tab") {
      const option = box.querySelectorAll("[role=option]")[active];
      if (option) {
        event.preventDefault();
        choose(area, option);
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(area);
    }
  });

  document.addEventListener("focusout", (event) => {
    if (event.target instanceof HTMLTextAreaElement && event.target.hasAttribute("data-mentions")) {
      setTimeout(() => close(event.target), 150);
    }
  });
})();
