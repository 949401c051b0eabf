// Timeline (Gantt) drawn as our own SVG: rows follow the tree, bars from start to due,
// milestones, today line, non-working days shaded, dependency arrows, critical path, drag to
// move/resize (with a preview of who will be pushed), drag from a bar's dot to another bar to
// make it follow. Every change goes through the API, i.e. through common.services; a refusal
// puts the bar back and shows the reason. Zoom and collapsed rows live in the URL.
(() => {
  "use strict";
  const configNode = document.getElementById("timeline-config");
  if (!configNode) return;
  const config = JSON.parse(configNode.textContent);
  const NS = "http://www.w3.org/2000/svg";
  const ROW = 44;
  const HEAD = 48;
  const DAY = 86400000;
  const PX_PER_DAY = { day: 36, week: 14, month: 4, quarter: 1.6, year: 0.6 };
  const COLOURS = {
    bar: "#2563eb", done: "#64748b", late: "#c2410c", critical: "#b91c1c", span: "#334155",
    link: "#475569", closed: "#e2e8f0", grid: "#e2e8f0", text: "#0f172a", today: "#be123c",
  };
  const labels = document.getElementById("tl-labels");
  const scroll = document.getElementById("tl-scroll");
  const message = document.getElementById("tl-message");
  const errorBox = document.getElementById("tl-error");
  const empty = document.getElementById("tl-empty");
  const grid = document.getElementById("timeline");
  const dialog = document.getElementById("tl-confirm");
  const zoomSelect = document.getElementById("tl-zoom");
  const csrf = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];

  const url = new URL(window.location.href);
  let zoom = config.zooms.includes(url.searchParams.get("zoom")) ? url.searchParams.get("zoom") : config.zoom;
  const collapsed = new Set((url.searchParams.get("collapsed") || "").split(",").filter(Boolean).map(Number));
  let data = null;
  let origin = 0;
  let ppd = PX_PER_DAY[zoom];

  const toTime = (s) => { const [y, m, d] = s.split("-").map(Number); return Date.UTC(y, m - 1, d); };
  const toIso = (t) => new Date(t).toISOString().slice(0, 10);
  const dayOf = (s) => Math.round((toTime(s) - origin) / DAY);
  const shift = (s, days) => toIso(toTime(s) + days * DAY);
  const pretty = (s) => new Date(toTime(s)).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

  function node(name, attrs, parent) {
    const element = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs || {})) element.setAttribute(key, value);
    if (parent) parent.appendChild(element);
    return element;
  }

  function saveState() {
    const next = new URL(window.location.href);
    next.searchParams.set("zoom", zoom);
    if (collapsed.size) next.searchParams.set("collapsed", [...collapsed].join(","));
    else next.searchParams.delete("collapsed");
    window.history.replaceState(null, "", next);
  }

  function say(text) { message.textContent = text; }
  function fail(text) { errorBox.textContent = text; errorBox.classList.remove("hidden"); }
  function clearFail() { errorBox.textContent = ""; errorBox.classList.add("hidden"); }

  async function reasonOf(response) {
    try {
      const body = await response.json();
      if (body.detail) return body.detail;
      return Object.values(body).flat().join(" ") || `Refused (${response.status}).`;
    } catch (_) {
      return `Refused (${response.status}).`;
    }
  }

  async function post(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    });
  }

  async function load() {
    const query = new URL(window.location.href).searchParams;
    query.delete("zoom");
    query.delete("collapsed");
    const response = await fetch(`${config.data}?${query}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) { fail(await reasonOf(response)); return; }
    data = await response.json();
    render();
  }

  function visibleRows() {
    const rows = [];
    let hideBelow = null;
    for (const row of data.rows) {
      if (hideBelow !== null && row.depth > hideBelow) continue;
      hideBelow = null;
      rows.push(row);
      if (row.has_children && collapsed.has(row.id)) hideBelow = row.depth;
    }
    return rows;
  }

  function drawLabels(rows) {
    labels.replaceChildren();
    const head = document.createElement("div");
    head.className = "tl-head";
    labels.appendChild(head);
    for (const row of rows) {
      const line = document.createElement("div");
      line.className = `tl-row tl-indent-${Math.min(row.depth, 8)}`;
      line.dataset.row = row.id;
      if (row.has_children) {
        const toggle = document.createElement("button");
        toggle.type = "button";
        toggle.className = "tl-toggle";
        const open = !collapsed.has(row.id);
        toggle.setAttribute("aria-expanded", String(open));
        toggle.setAttribute("aria-label", `${open ? "Collapse" : "Expand"} ${row.title}`);
        toggle.textContent = open ? "▾" : "▸";
        toggle.addEventListener("click", () => {
          if (collapsed.has(row.id)) collapsed.delete(row.id); else collapsed.add(row.id);
          saveState();
          render();
        });
        line.appendChild(toggle);
      } else {
        const spacer = document.createElement("span");
        spacer.className = "tl-spacer";
        line.appendChild(spacer);
      }
      if (config.canEdit && row.editable) {
        const mode = document.createElement("button");
        mode.type = "button";
        mode.className = "tl-mode";
        mode.dataset.testid = `mode-${row.id}`;
        mode.textContent = "Auto";
        mode.setAttribute("aria-pressed", String(row.automatic));
        mode.setAttribute("aria-label", `Auto: schedule ${row.title} after its predecessors`);
        mode.title = row.automatic ? "Starts after its predecessors; click to fix its dates" : "Dates fixed by hand; click to schedule after its predecessors";
        mode.addEventListener("click", () => switchMode(row));
        line.appendChild(mode);
      }
      const link = document.createElement("a");
      link.href = `/oobc-management/work-items/${row.id}/`;
      link.textContent = row.title;
      link.className = row.context ? "link tl-context" : "link";
      link.title = row.title;
      line.appendChild(link);
      labels.appendChild(line);
    }
  }

  function ticks(first, days) {
    const out = [];
    for (let d = 0; d <= days; d += 1) {
      const date = new Date(first + d * DAY);
      const dom = date.getUTCDate();
      const month = date.getUTCMonth();
      const label = (opts) => date.toLocaleDateString(undefined, { ...opts, timeZone: "UTC" });
      if (zoom === "day") out.push([d, String(dom), dom === 1 ? label({ month: "short" }) : null]);
      else if (zoom === "week" && date.getUTCDay() === 1) out.push([d, label({ day: "numeric", month: "short" }), null]);
      else if (zoom === "month" && dom === 1) out.push([d, label({ month: "short", year: "numeric" }), null]);
      else if (zoom === "quarter" && dom === 1 && month % 3 === 0) out.push([d, `Q${month / 3 + 1} ${date.getUTCFullYear()}`, null]);
      else if (zoom === "year" && dom === 1 && month === 0) out.push([d, String(date.getUTCFullYear()), null]);
    }
    return out;
  }

  function barGeometry(row) {
    const from = row.has_children ? row.span_start : (row.start || row.due);
    const to = row.has_children ? row.span_end : (row.due || row.start);
    if (!from || !to) return null;
    const x = dayOf(from) * ppd;
    const width = Math.max((dayOf(to) - dayOf(from) + 1) * ppd, 2);
    return { x, width, milestone: !row.has_children && from === to };
  }

  function render() {
    clearFail();
    if (!data) return;
    if (data.needsScope) {
      grid.classList.add("hidden");
      empty.classList.remove("hidden");
      return;
    }
    grid.classList.remove("hidden");
    empty.classList.add("hidden");
    ppd = PX_PER_DAY[zoom];
    const rows = visibleRows();
    const today = new Date();
    const todayIso = toIso(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()));
    const dates = [todayIso];
    for (const row of data.rows) for (const d of [row.span_start, row.span_end]) if (d) dates.push(d);
    dates.sort();
    origin = toTime(dates[0]) - 7 * DAY;
    const days = Math.round((toTime(dates[dates.length - 1]) - origin) / DAY) + 14;
    const width = Math.max(Math.ceil(days * ppd), 320);
    const height = HEAD + rows.length * ROW;
    drawLabels(rows);

    const svg = node("svg", { xmlns: NS, width, height, viewBox: `0 0 ${width} ${height}`, role: "group", "aria-label": `Timeline of ${rows.length} rows`, "font-family": "system-ui, sans-serif", "font-size": "12" });
    const defs = node("defs", {}, svg);
    for (const [id, colour] of [["tl-arrow", COLOURS.link], ["tl-arrow-red", COLOURS.critical]]) {
      const marker = node("marker", { id, viewBox: "0 0 8 8", refX: "8", refY: "4", markerWidth: "8", markerHeight: "8", orient: "auto" }, defs);
      node("path", { d: "M0,0 L8,4 L0,8 z", fill: colour }, marker);
    }
    node("rect", { x: 0, y: 0, width, height, fill: "#ffffff" }, svg);
    const closedLayer = node("g", { "data-layer": "non-working" }, svg);
    for (const day of data.nonWorking) {
      const d = dayOf(day);
      if (d < 0 || d > days) continue;
      node("rect", { x: d * ppd, y: HEAD, width: Math.max(ppd, 0.5), height: height - HEAD, fill: COLOURS.closed, class: "tl-closed", "data-date": day }, closedLayer);
    }
    const header = node("g", { "data-layer": "header" }, svg);
    node("line", { x1: 0, y1: HEAD, x2: width, y2: HEAD, stroke: "#94a3b8" }, header);
    for (const [d, text, upper] of ticks(origin, days)) {
      node("line", { x1: d * ppd, y1: HEAD - 16, x2: d * ppd, y2: height, stroke: COLOURS.grid }, header);
      const label = node("text", { x: d * ppd + 2, y: HEAD - 4, fill: COLOURS.text }, header);
      label.textContent = text;
      if (upper) { const top = node("text", { x: d * ppd + 2, y: 16, fill: COLOURS.text, "font-weight": "600" }, header); top.textContent = upper; }
    }
    rows.forEach((_, i) => node("line", { x1: 0, y1: HEAD + (i + 1) * ROW, x2: width, y2: HEAD + (i + 1) * ROW, stroke: "#f1f5f9" }, svg));
    const todayX = dayOf(todayIso) * ppd + ppd / 2;
    node("line", { x1: todayX, y1: HEAD - 20, x2: todayX, y2: height, stroke: COLOURS.today, "stroke-width": 2, class: "tl-today" }, svg);
    const todayText = node("text", { x: todayX + 3, y: HEAD - 22, fill: COLOURS.today }, svg);
    todayText.textContent = "Today";

    const place = new Map();
    const bars = node("g", { "data-layer": "bars" }, svg);
    rows.forEach((row, i) => {
      const geometry = barGeometry(row);
      if (!geometry) return;
      const y = HEAD + i * ROW;
      place.set(row.id, { ...geometry, y });
      const classes = ["tl-bar"];
      if (row.critical) classes.push("tl-critical");
      if (row.late) classes.push("tl-late");
      const movable = config.canEdit && row.editable;
      if (!movable) classes.push("tl-locked");
      const group = node("g", { class: classes.join(" "), "data-id": row.id, tabindex: movable ? "0" : "-1", role: movable ? "button" : "img", "data-testid": `bar-${row.id}`, "aria-label": `${row.title}: ${row.start ? pretty(row.start) : "no start"} to ${row.due ? pretty(row.due) : "no due date"}${row.critical ? ", on the critical path" : ""}${row.late ? ", late" : ""}${row.slack != null ? `, slack ${row.slack} working days` : ""}` }, bars);
      const tip = node("title", {}, group);
      tip.textContent = group.getAttribute("aria-label");
      const colour = row.late ? COLOURS.late : (row.status === "completed" || row.status === "cancelled" ? COLOURS.done : COLOURS.bar);
      const outline = row.critical ? { stroke: COLOURS.critical, "stroke-width": 3 } : {};
      if (row.has_children) {
        node("rect", { x: geometry.x, y: y + 16, width: geometry.width, height: 10, fill: COLOURS.span, rx: 2, ...outline }, group);
        node("path", { d: `M${geometry.x},${y + 26} l0,6 l6,-6 z M${geometry.x + geometry.width},${y + 26} l0,6 l-6,-6 z`, fill: COLOURS.span }, group);
      } else if (geometry.milestone && !row.critical) {
        const cx = geometry.x + geometry.width / 2;
        node("path", { d: `M${cx},${y + 10} l10,12 l-10,12 l-10,-12 z`, fill: colour, class: "tl-milestone" }, group);
      } else if (geometry.milestone) {
        const cx = geometry.x + geometry.width / 2;
        node("path", { d: `M${cx},${y + 10} l10,12 l-10,12 l-10,-12 z`, fill: colour, class: "tl-milestone", ...outline }, group);
      } else {
        node("rect", { x: geometry.x, y: y + 10, width: geometry.width, height: 24, rx: 4, fill: colour, class: "tl-body", ...outline }, group);
      }
      if (zoom === "day" || zoom === "week") {
        const text = node("text", { x: geometry.x + geometry.width + 14, y: y + 26, fill: COLOURS.text }, group);
        text.textContent = row.title;
      }
      if (movable) {
        if (!geometry.milestone) node("rect", { x: geometry.x + geometry.width - 8, y: y + 10, width: 10, height: 24, fill: "transparent", class: "tl-handle", "data-id": row.id }, group);
        node("circle", { cx: geometry.x + geometry.width + 6, cy: y + 22, r: 5, fill: "#ffffff", stroke: COLOURS.bar, "stroke-width": 2, class: "tl-connector", "data-id": row.id }, group);
      }
    });
    const arrows = node("g", { "data-layer": "links" }, svg);
    for (const link of data.links) {
      const from = place.get(link.from);
      const to = place.get(link.to);
      if (!from || !to) continue;
      const x1 = from.x + from.width;
      const y1 = from.y + 22;
      const x2 = to.x;
      const y2 = to.y + 22;
      const red = link.violated || link.critical;
      const d = `M${x1},${y1} h6 V${y2 - (y2 > y1 ? 12 : -12)} H${Math.min(x2 - 8, x1 + 6)} V${y2} H${x2}`;
      node("path", { d, fill: "none", stroke: red ? COLOURS.critical : COLOURS.link, "stroke-width": link.critical ? 2 : 1.5, "stroke-dasharray": link.violated ? "4 3" : "none", "marker-end": red ? "url(#tl-arrow-red)" : "url(#tl-arrow)", class: `tl-link${link.violated ? " tl-violated" : ""}`, "data-from": link.from, "data-to": link.to }, arrows);
    }
    scroll.replaceChildren(svg);
    drawPath();
    const status = [`${data.rows.length} rows`];
    if (data.criticalLength != null) status.push(`critical path ${data.criticalLength} working days`);
    if (data.truncated) status.push(`only the first ${data.maxRows} rows are shown; narrow the filters`);
    if (!message.dataset.keep) say(status.join("; "));
    delete message.dataset.keep;
  }

  // --- the critical path, listed (what the red bars say, in words, with each item's slack) ----
  function cell(tag, text, parent) {
    const element = document.createElement(tag);
    element.textContent = text;
    parent.appendChild(element);
    return element;
  }

  function itemLink(row, parent) {
    const link = document.createElement("a");
    link.className = "link";
    link.href = `/oobc-management/work-items/${row.id}/`;
    link.textContent = row.title;
    parent.appendChild(link);
  }

  function drawPath() {
    const section = document.getElementById("tl-path");
    const byId = new Map(data.rows.map((row) => [row.id, row]));
    const path = (data.criticalPath || []).map((id) => byId.get(id)).filter(Boolean);
    section.hidden = path.length === 0;
    if (!path.length) return;
    const days = data.criticalLength;
    document.getElementById("tl-path-summary").textContent =
      `${path.length} ${path.length === 1 ? "item" : "items"}, ${days} working ${days === 1 ? "day" : "days"} from the first start to the last finish: any delay to one of them delays the whole.`;
    const list = document.getElementById("tl-path-list");
    list.replaceChildren();
    for (const row of path) {
      const li = document.createElement("li");
      li.dataset.id = row.id;
      itemLink(row, li);
      const when = row.start ? `${pretty(row.start)} – ${pretty(row.due || row.start)}` : "no dates";
      cell("span", ` · ${when} · slack 0${row.late ? " · late" : ""}`, li).className = row.late ? "overdue" : "text-slate-600";
      list.appendChild(li);
    }
    const body = document.getElementById("tl-slack-body");
    body.replaceChildren();
    const scheduled = data.rows.filter((row) => row.slack != null);
    scheduled.sort((a, b) => a.slack - b.slack || (a.start || "").localeCompare(b.start || ""));
    for (const row of scheduled) {
      const tr = document.createElement("tr");
      itemLink(row, cell("td", "", tr));
      cell("td", row.start ? pretty(row.start) : "—", tr);
      cell("td", row.due ? pretty(row.due) : "—", tr);
      cell("td", `${row.slack}${row.critical ? " (critical)" : ""}${row.late ? ", late" : ""}`, tr);
      body.appendChild(tr);
    }
  }

  // --- changing dates -----------------------------------------------------------------------
  function rowById(id) { return data.rows.find((row) => row.id === id); }

  function confirmMoves(count, moved) {
    return new Promise((resolve) => {
      document.getElementById("tl-confirm-title").textContent = `${count} ${count === 1 ? "item" : "items"} will move`;
      const list = document.getElementById("tl-confirm-list");
      list.replaceChildren();
      for (const move of moved.slice(0, 50)) {
        const li = document.createElement("li");
        li.textContent = `${move.title}: ${pretty(move.start_date)} → ${pretty(move.new_start_date)}`;
        list.appendChild(li);
      }
      const yes = document.getElementById("tl-confirm-yes");
      const no = document.getElementById("tl-confirm-no");
      const finish = (answer) => { yes.onclick = null; no.onclick = null; dialog.close(); resolve(answer); };
      yes.onclick = () => finish(true);
      no.onclick = () => finish(false);
      dialog.oncancel = () => finish(false);
      dialog.showModal();
    });
  }

  async function reschedule(row, start, due) {
    const target = `${config.api}${row.id}/schedule/`;
    const preview = await post(target, { start_date: start, due_date: due, preview: true });
    if (!preview.ok) { const reason = await reasonOf(preview); render(); fail(reason); return; }
    const planned = await preview.json();
    if (planned.count > 0 && !(await confirmMoves(planned.count, planned.moved))) { render(); say("Nothing moved."); return; }
    const saved = await post(target, { start_date: start, due_date: due, version: row.version });
    if (!saved.ok) { const reason = await reasonOf(saved); render(); fail(reason); return; }
    const body = await saved.json();
    message.dataset.keep = "1";
    say(`Moved “${row.title}”${body.moved.length ? `; ${body.moved.length} ${body.moved.length === 1 ? "item follows" : "items follow"}` : ""}.`);
    await load();
  }

  async function makeLink(fromId, toId) {
    const response = await post(`${config.api}${toId}/dependencies/`, { predecessor: fromId, lag_days: 0 });
    if (!response.ok) { const reason = await reasonOf(response); render(); fail(reason); return; }
    const body = await response.json();
    message.dataset.keep = "1";
    say(`“${rowById(toId).title}” now follows “${rowById(fromId).title}”${body.moved.length ? `; ${body.moved.length} moved` : ""}.`);
    await load();
  }

  async function switchMode(row) {
    const wanted = row.automatic ? "manual" : "automatic";
    const response = await post(`${config.api}${row.id}/scheduling-mode/`, { scheduling_mode: wanted });
    if (!response.ok) { fail(await reasonOf(response)); return; }
    const body = await response.json();
    message.dataset.keep = "1";
    say(`“${row.title}” is ${wanted === "automatic" ? "scheduled after its predecessors" : "fixed by hand"}${body.moved.length ? `; ${body.moved.length} moved` : ""}.`);
    await load();
  }

  let drag = null;
  scroll.addEventListener("pointerdown", (event) => {
    const target = event.target;
    const group = target.closest(".tl-bar");
    if (!group || group.classList.contains("tl-locked") || event.button !== 0) return;
    const row = rowById(Number(group.dataset.id));
    const kind = target.classList.contains("tl-connector") ? "link" : target.classList.contains("tl-handle") ? "resize" : "move";
    drag = { kind, row, group, x: event.clientX, y: event.clientY, days: 0, line: null };
    scroll.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  scroll.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const svg = scroll.querySelector("svg");
    if (drag.kind === "link") {
      const box = svg.getBoundingClientRect();
      const c = drag.group.querySelector(".tl-connector");
      if (!drag.line) drag.line = node("line", { x1: c.getAttribute("cx"), y1: c.getAttribute("cy"), stroke: COLOURS.link, "stroke-width": 2, "stroke-dasharray": "4 3" }, svg);
      drag.line.setAttribute("x2", event.clientX - box.left);
      drag.line.setAttribute("y2", event.clientY - box.top);
      return;
    }
    drag.days = Math.round((event.clientX - drag.x) / ppd);
    if (drag.kind === "move") drag.group.setAttribute("transform", `translate(${drag.days * ppd},0)`);
    else {
      const body = drag.group.querySelector(".tl-body");
      const g = barGeometry(drag.row);
      if (body && g) body.setAttribute("width", Math.max(g.width + drag.days * ppd, ppd));
    }
  });
  scroll.addEventListener("pointerup", (event) => {
    if (!drag) return;
    const current = drag;
    drag = null;
    if (current.kind === "link") {
      if (current.line) current.line.remove();
      const under = document.elementFromPoint(event.clientX, event.clientY);
      const other = under && under.closest ? under.closest(".tl-bar") : null;
      if (other && Number(other.dataset.id) !== current.row.id) makeLink(current.row.id, Number(other.dataset.id));
      return;
    }
    if (!current.days) { render(); return; }
    const row = current.row;
    const start = row.start || row.due;
    const due = row.due || row.start;
    if (current.kind === "move") reschedule(row, row.start ? shift(start, current.days) : null, row.due ? shift(due, current.days) : null);
    else {
      const newDue = shift(due, current.days);
      if (newDue < start) { render(); fail("The due date cannot be before the start date."); return; }
      reschedule(row, row.start, newDue);
    }
  });
  scroll.addEventListener("pointercancel", () => { drag = null; render(); });
  // Keyboard: arrows move a focused bar by a day, Shift+arrows change its length.
  scroll.addEventListener("keydown", (event) => {
    const group = event.target.closest && event.target.closest(".tl-bar");
    if (!group || group.classList.contains("tl-locked") || !["ArrowLeft", "ArrowRight"].includes(event.key)) return;
    event.preventDefault();
    const row = rowById(Number(group.dataset.id));
    const step = event.key === "ArrowRight" ? 1 : -1;
    if (event.shiftKey && row.due) {
      const newDue = shift(row.due, step);
      if (row.start && newDue < row.start) return;
      reschedule(row, row.start, newDue);
    } else {
      reschedule(row, row.start ? shift(row.start, step) : null, row.due ? shift(row.due, step) : null);
    }
  });

  // --- zoom, export, print ------------------------------------------------------------------
  if (zoomSelect) {
    zoomSelect.value = zoom;
    zoomSelect.addEventListener("change", () => { zoom = zoomSelect.value; saveState(); render(); });
  }
  document.getElementById("tl-print")?.addEventListener("click", () => window.print());
  document.getElementById("tl-png")?.addEventListener("click", () => {
    const svg = scroll.querySelector("svg");
    if (!svg) return;
    const text = new XMLSerializer().serializeToString(svg);
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = svg.width.baseVal.value * 2;
      canvas.height = svg.height.baseVal.value * 2;
      const context = canvas.getContext("2d");
      context.scale(2, 2);
      context.drawImage(image, 0, 0);
      const link = document.createElement("a");
      link.download = "timeline.png";
      link.href = canvas.toDataURL("image/png");
      link.dataset.testid = "timeline-png-link";
      document.body.appendChild(link);
      link.click();
      link.remove();
    };
    image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(text)))}`;
  });

  saveState();
  load();
})();
