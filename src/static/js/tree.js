// The work item tree: lazy expand/collapse (remembered across reloads), "expand all",
// quick add of a child, and drag-and-drop moves validated by the server.
(function () {
  "use strict";

  const STORE = "obcms.tree.expanded";
  const csrf = () => {
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  };
  const remembered = () => new Set(JSON.parse(localStorage.getItem(STORE) || "[]"));
  const remember = (id, open) => {
    const ids = remembered();
    if (open) ids.add(id); else ids.delete(id);
    localStorage.setItem(STORE, JSON.stringify([...ids]));
  };
  const announce = (text) => {
    const status = document.getElementById("tree-status");
    if (status) status.textContent = text;
  };

  function rowsBelow(row) {
    const depth = Number(row.dataset.depth);
    const rows = [];
    let next = row.nextElementSibling;
    while (next && (!next.dataset.depth || Number(next.dataset.depth) > depth)) {
      rows.push(next);
      next = next.nextElementSibling;
    }
    return rows;
  }

  function collapse(row) {
    rowsBelow(row).forEach((r) => r.remove());
    const button = row.querySelector(".expander");
    if (button) { button.setAttribute("aria-expanded", "false"); button.textContent = "▸"; }
    remember(row.dataset.id, false);
  }

  async function insertAfter(row, url) {
    const response = await fetch(url, { headers: { "HX-Request": "true" } });
    if (!response.ok) {
      window.obcmsMessage("Could not load the items below (" + response.status + ").");
      return [];
    }
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    const rows = [...template.content.querySelectorAll("tr.tree-row")];
    row.after(...rows);
    rows.forEach((r) => window.htmx && window.htmx.process(r));
    return rows;
  }

  async function expand(row, all) {
    rowsBelow(row).forEach((r) => r.remove());
    const depth = Number(row.dataset.depth) + 1;
    const url = (all ? row.dataset.subtreeUrl : row.dataset.childrenUrl) + "?depth=" + depth;
    const rows = await insertAfter(row, url);
    const button = row.querySelector(".expander");
    if (button) { button.setAttribute("aria-expanded", "true"); button.textContent = "▾"; }
    remember(row.dataset.id, true);
    if (all) {
      rows.forEach((r) => {
        const b = r.querySelector(".expander");
        const hasShownChildren = r.nextElementSibling &&
          Number(r.nextElementSibling.dataset.depth) > Number(r.dataset.depth);
        if (b && hasShownChildren) {
          b.setAttribute("aria-expanded", "true"); b.textContent = "▾"; remember(r.dataset.id, true);
        }
      });
    } else {
      await restore(rows);
    }
    announce(rows.length + " items shown under " + row.querySelector("a").textContent);
  }

  async function restore(rows) {
    const open = remembered();
    for (const row of rows) {
      if (open.has(row.dataset.id) && row.querySelector(".expander") && row.isConnected) {
        await expand(row, false);
      }
    }
  }

  function quickAddRow(row) {
    const existing = row.nextElementSibling;
    if (existing && existing.classList.contains("quick-add")) { existing.remove(); return; }
    const form = document.createElement("tr");
    form.className = "quick-add";
    const depth = Math.min(Number(row.dataset.depth) + 1, 8);
    form.innerHTML =
      '<td colspan="8"><form class="depth-' + depth + ' flex flex-wrap items-center gap-2">' +
      '<label class="sr-only" for="qa-title-' + row.dataset.id + '">Title</label>' +
      '<input id="qa-title-' + row.dataset.id + '" name="title" type="text" required ' +
      'placeholder="Title of the new item" class="w-72!">' +
      '<label class="sr-only" for="qa-type-' + row.dataset.id + '">Type</label>' +
      '<select id="qa-type-' + row.dataset.id + '" name="work_type" class="w-40!"></select>' +
      '<button class="btn btn-small btn-primary" type="submit">Add</button>' +
      '<button class="btn btn-small" type="button" data-cancel>Cancel</button>' +
      '<span class="field-error" role="alert"></span></form></td>';
    const select = form.querySelector("select");
    (CHILD_TYPES[row.dataset.type] || []).forEach(([value, label]) => {
      select.add(new Option(label, value));
    });
    row.after(form);
    form.querySelector("input").focus();
    form.querySelector("[data-cancel]").addEventListener("click", () => form.remove());
    form.querySelector("form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      const response = await fetch(row.dataset.quickAddUrl, {
        method: "POST", body: data, headers: { "X-CSRFToken": csrf(), "HX-Request": "true" },
      });
      if (!response.ok) {
        form.querySelector("[role=alert]").textContent = await response.text();
        return;
      }
      form.remove();
      row.dataset.children = String(Number(row.dataset.children) + 1);
      ensureExpander(row);
      await expand(row, false);
      announce("Added " + data.get("title"));
    });
  }

  function ensureExpander(row) {
    if (row.querySelector(".expander")) return;
    const spacer = row.querySelector("td div span[aria-hidden]");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "expander btn btn-small w-7";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", "Show the items under " + row.querySelector("a").textContent);
    button.textContent = "▸";
    if (spacer) spacer.replaceWith(button);
  }

  // Which child types each type may hold (mirrors the server rules; the server decides).
  const CHILD_TYPES = JSON.parse(document.getElementById("child-types")?.textContent || "{}");

  // --- drag and drop ------------------------------------------------------------------------
  let dragged = null;

  function zone(row, event) {
    const box = row.getBoundingClientRect();
    const y = event.clientY - box.top;
    if (y < box.height * 0.25) return "before";
    if (y > box.height * 0.75) return "after";
    return "inside";
  }

  function clearMarks() {
    document.querySelectorAll(".drop-inside, .drop-before, .drop-after").forEach((el) =>
      el.classList.remove("drop-inside", "drop-before", "drop-after"));
  }

  // Where the dragged row lands among its new siblings, counted the way the server counts:
  // top-level order is kept per organisation, so people who see several organisations must not
  // count other organisations' top-level rows (that made drops land one place off).
  function dropIndex(target, parentId, where) {
    const org = dragged.dataset.org;
    const sibling = (r) => r !== dragged && r.dataset.parent === parentId &&
      (parentId !== "" || r.dataset.org === org);
    let index = 0;
    for (const row of document.querySelectorAll("tr.tree-row")) {
      if (row === target) return where === "before" || !sibling(row) ? index : index + 1;
      if (sibling(row)) index += 1;
    }
    return index;
  }

  async function drop(target, where) {
    const body = new FormData();
    let parentId;
    if (where === "inside") {
      parentId = target.dataset.id;
    } else {
      parentId = target.dataset.parent;
      body.set("index", String(dropIndex(target, parentId, where)));
    }
    body.set("parent", parentId);
    body.set("expected_version", dragged.dataset.version);
    const title = dragged.querySelector("a").textContent;
    const response = await fetch(dragged.dataset.moveUrl, {
      method: "POST", body, headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
    });
    const result = await response.json().catch(() => ({ ok: false, error: "Unexpected answer." }));
    if (!result.ok) {
      window.obcmsMessage("“" + title + "” was not moved: " + result.error, "error");
      announce("Not moved: " + result.error);
      return;
    }
    if (where === "inside") remember(target.dataset.id, true);
    sessionStorage.setItem("obcms.flash", result.message || "“" + title + "” was moved.");
    window.location.reload();
  }

  function bindDragAndDrop(body) {
    body.addEventListener("dragstart", (event) => {
      const row = event.target.closest && event.target.closest("tr.tree-row[data-can-edit]");
      if (!row) return;
      dragged = row;
      row.setAttribute("aria-grabbed", "true");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.dataset.id);
    });
    body.addEventListener("dragend", () => {
      if (dragged) dragged.removeAttribute("aria-grabbed");
      dragged = null;
      clearMarks();
    });
    body.addEventListener("dragover", (event) => {
      const row = event.target.closest && event.target.closest("tr.tree-row");
      if (!dragged || !row || row === dragged) return;
      event.preventDefault();
      clearMarks();
      row.classList.add("drop-" + zone(row, event));
    });
    body.addEventListener("drop", (event) => {
      const row = event.target.closest && event.target.closest("tr.tree-row");
      if (!dragged || !row || row === dragged) return;
      event.preventDefault();
      const where = zone(row, event);
      clearMarks();
      drop(row, where);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const flash = sessionStorage.getItem("obcms.flash");
    if (flash) { sessionStorage.removeItem("obcms.flash"); window.obcmsMessage(flash, "success"); }
    const body = document.getElementById("tree-body");
    if (!body) return;
    body.addEventListener("click", (event) => {
      const row = event.target.closest("tr.tree-row");
      if (!row) return;
      if (event.target.closest(".expander")) {
        if (event.target.closest(".expander").getAttribute("aria-expanded") === "true") collapse(row);
        else expand(row, false);
      } else if (event.target.closest(".expand-all")) {
        expand(row, true);
      } else if (event.target.closest(".quick-add-toggle")) {
        quickAddRow(row);
      }
    });
    bindDragAndDrop(body);
    // Re-open what was open before; the table says it is busy until then (screen readers and
    // tests wait for it).
    body.setAttribute("aria-busy", "true");
    restore([...body.querySelectorAll("tr.tree-row")]).finally(() => {
      body.setAttribute("aria-busy", "false");
    });
  });
})();
