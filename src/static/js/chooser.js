// A searchable multi-select for people and teams: type to filter, arrow keys and Enter (or
// Space after moving with the arrows) to pick, chips with remove buttons. It only dresses the
// <select multiple> the server drew, which stays in the form and is what is sent: without
// script the plain select works, and the choices are exactly the server's.
(function () {
  "use strict";

  function el(tag, props) {
    return Object.assign(document.createElement(tag), props || {});
  }

  function enhance(wrapper) {
    const select = wrapper.querySelector("select[multiple]");
    if (!select || wrapper.dataset.enhanced) return;
    wrapper.dataset.enhanced = "true";
    const id = select.id;
    const nouns = wrapper.dataset.nouns || "choices";
    const label = wrapper.querySelector('label[for="' + id + '"]');
    const options = [...select.options];
    let active = -1;
    let navigating = false;

    const chips = el("ul", { className: "contents" });
    chips.setAttribute("aria-label", "Chosen " + nouns);
    const input = el("input", {
      type: "text", id: id + "-search", autocomplete: "off", placeholder: "Type to find " + nouns,
    });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-list");
    const list = el("ul", { id: id + "-list", className: "chooser-list", hidden: true });
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-multiselectable", "true");
    const status = el("p", { className: "sr-only" });
    status.setAttribute("aria-live", "polite");
    if (label) {
      label.id = label.id || id + "-label";
      label.htmlFor = input.id;
      list.setAttribute("aria-labelledby", label.id);
    }
    const box = el("div", { className: "chooser" });
    const field = el("div", { className: "chooser-box" });
    field.append(chips, input);
    box.append(field, list, status);
    select.hidden = true; // still submitted: it is the form's value
    select.after(box);

    const shown = () => {
      const term = input.value.trim().toLowerCase();
      return options.filter((o) => !term || o.text.toLowerCase().includes(term));
    };

    function renderChips() {
      chips.replaceChildren(...options.filter((o) => o.selected).map((o) => {
        const chip = el("li", { className: "chip" });
        const remove = el("button", { type: "button", textContent: "×" });
        remove.setAttribute("aria-label", "Remove " + o.text);
        remove.addEventListener("click", () => { toggle(o); input.focus(); });
        chip.append(el("span", { textContent: o.text }), remove);
        return chip;
      }));
    }

    function renderList() {
      const visible = shown();
      list.replaceChildren(...visible.map((o, index) => {
        const item = el("li", { id: id + "-option-" + o.value, textContent: o.text });
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", String(o.selected));
        if (index === active) item.classList.add("active");
        item.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus
        item.addEventListener("click", () => toggle(o));
        return item;
      }));
      const current = visible[active];
      if (current) {
        input.setAttribute("aria-activedescendant", id + "-option-" + current.value);
        document.getElementById(id + "-option-" + current.value).scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
      list.hidden = !visible.length || input.getAttribute("aria-expanded") !== "true";
      if (!visible.length) status.textContent = "No " + nouns + " match “" + input.value + "”.";
      return visible;
    }

    function open() {
      input.setAttribute("aria-expanded", "true");
      renderList();
    }

    function close() {
      input.setAttribute("aria-expanded", "false");
      list.hidden = true;
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function toggle(option) {
      option.selected = !option.selected;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      status.textContent = option.text + (option.selected ? " added." : " removed.");
      if (input.value) {
        // Picked from a search: start the next search afresh, from the one just picked.
        input.value = "";
        active = options.indexOf(option);
      }
      renderChips();
      if (input.getAttribute("aria-expanded") === "true") renderList();
    }

    input.addEventListener("input", () => {
      navigating = false;
      active = 0;
      open();
    });
    input.addEventListener("click", open);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", (event) => {
      const visible = shown();
      const isOpen = input.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!isOpen) open();
        if (!visible.length) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        active = active < 0 ? 0 : Math.min(Math.max(active + step, 0), visible.length - 1);
        navigating = true;
        renderList();
      } else if (isOpen && visible[active] && (event.key === "Enter" || (event.key === " " && navigating))) {
        event.preventDefault(); // pick, never submit the form from here
        toggle(visible[active]);
      } else if (event.key === "Escape" && isOpen) {
        event.preventDefault();
        close();
      } else if (event.key === "Backspace" && !input.value) {
        const last = options.filter((o) => o.selected).pop();
        if (last) toggle(last);
      }
    });
    renderChips();
  }

  document.querySelectorAll("[data-chooser]").forEach(enhance);
})();
