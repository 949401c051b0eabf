// The unified calendar page: FullCalendar fed by the work items feed, filters kept in the URL
// (and remembered in this browser), a details panel on click, drag/resize to reschedule
// (validated by the server), and "select days → new item". Long containers (projects,
// sub-projects, anything longer than the feed's limit) come after the day's short items and
// are drawn as thin bars, so a year-long project no longer takes the top row of every day.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("calendar-config").textContent);
  const form = document.getElementById("calendar-filters");
  const panel = document.getElementById("event-panel");
  const VIEWS = ["dayGridMonth", "timeGridWeek", "timeGridDay", "listMonth", "multiMonthYear"];
  const csrf = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];

  // Colour swatches are painted from data attributes (the CSP allows no inline styles).
  document.querySelectorAll(".legend-swatch[data-colour]").forEach((el) => {
    el.style.backgroundColor = el.dataset.colour;
  });

  // --- filters <-> URL (and this browser's memory) --------------------------------------------
  const FILTERS = ["type", "status", "team", "assignee", "include_completed"];
  const MEMORY = "obcms.calendar.filters";
  const url = new URL(window.location.href);

  function remembered() {
    try { return window.localStorage.getItem(MEMORY); } catch (error) { return null; }
  }
  function remember(search) {
    try { window.localStorage.setItem(MEMORY, search); } catch (error) { /* private mode */ }
  }
  // An address without filters (the menu's link, a bookmark) opens with the filters last used
  // here; an address with filters (a shared link, a reload) keeps its own.
  if (!FILTERS.some((name) => url.searchParams.has(name))) {
    const saved = new URLSearchParams(remembered() || "");
    for (const [key, value] of saved) {
      if (FILTERS.includes(key)) url.searchParams.append(key, value);
    }
    window.history.replaceState(null, "", url);
  }
  function loadFiltersFromUrl() {
    const types = url.searchParams.getAll("type");
    form.querySelectorAll("input[name=type]").forEach((box) => {
      box.checked = types.length === 0 || types.includes(box.value);
    });
    for (const name of ["status", "team"]) {
      const value = url.searchParams.get(name);
      if (value) form.elements[name].value = value;
    }
    form.elements.assignee.checked = url.searchParams.get("assignee") === "me";
    form.elements.include_completed.checked = url.searchParams.get("include_completed") === "0";
  }

  function currentFilters() {
    const params = {};
    const boxes = [...form.querySelectorAll("input[name=type]")];
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    // Every type ticked means "no type filter"; none ticked shows nothing at all.
    if (chosen.length !== boxes.length) params.type = chosen.length ? chosen.join(",") : "none";
    if (form.elements.status.value) params.status = form.elements.status.value;
    if (form.elements.team.value) params.team = form.elements.team.value;
    if (form.elements.assignee.checked) params.assignee = "me";
    if (form.elements.include_completed.checked) params.include_completed = "0";
    return params;
  }

  function saveToUrl(calendar) {
    const next = new URL(window.location.href);
    next.search = "";
    const filters = currentFilters();
    for (const [key, value] of Object.entries(filters)) {
      for (const part of String(value).split(",")) next.searchParams.append(key, part);
    }
    remember(next.searchParams.toString());
    if (calendar) {
      next.searchParams.set("view", calendar.view.type);
      // The shown day in the calendar's own time zone. (toISOString() wrote the UTC instant of
      // local midnight — the previous day east of Greenwich — so each reload went a day back.)
      next.searchParams.set("date", calendar.formatIso(calendar.getDate(), true).slice(0, 10));
    }
    window.history.replaceState(null, "", next);
  }

  // --- side panel ------------------------------------------------------------------------
  async function openPanel(itemId) {
    const response = await fetch(config.panelUrl.replace("/0/", "/" + itemId + "/"));
    if (!response.ok) { window.obcmsMessage("This item is no longer visible to you."); return; }
    panel.innerHTML = await response.text();
    panel.classList.remove("hidden");
    panel.querySelector("[data-close-panel]").focus();
  }
  panel.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-panel]")) panel.classList.add("hidden");
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") panel.classList.add("hidden");
  });

  // --- rescheduling --------------------------------------------------------------------------
  async function reschedule(info) {
    const event = info.event;
    const body = new FormData();
    body.set("allDay", event.allDay ? "true" : "false");
    body.set("start", event.allDay ? event.startStr.slice(0, 10) : event.startStr);
    if (event.end) body.set("end", event.allDay ? event.endStr.slice(0, 10) : event.endStr);
    body.set("version", String(event.extendedProps.version));
    const response = await fetch(config.rescheduleUrl.replace("/0/", "/" + event.extendedProps.itemId + "/"), {
      method: "POST", body, headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
    });
    const result = await response.json().catch(() => ({ ok: false, error: "Unexpected answer." }));
    if (!result.ok) {
      info.revert();
      window.obcmsMessage("“" + event.title + "” was not moved: " + result.error, "error");
      return;
    }
    event.setExtendedProp("version", result.version);
    window.obcmsMessage("“" + event.title + "” now runs " + describe(event) + ".", "success");
    info.view.calendar.refetchEvents();
  }

  // The day before an ISO date ("2026-05-20" -> "2026-05-19"): all-day ends are exclusive.
  function dayBefore(isoDate) {
    const day = new Date(isoDate.slice(0, 10) + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() - 1);
    return day.toISOString().slice(0, 10);
  }

  function describe(event) {
    const start = event.startStr.slice(0, event.allDay ? 10 : 16).replace("T", " ");
    if (!event.end) return "on " + start;
    const end = event.allDay ? dayBefore(event.endStr) : event.endStr.slice(0, 16).replace("T", " ");
    return start === end ? "on " + start : "from " + start + " to " + end;
  }

  const phone = window.matchMedia("(max-width: 1023px)").matches;

  // In a list a long container is listed once, on its first day in the range shown, with the
  // days it runs. Listed on every day it spans, a project and its phases buried the month's
  // work on a phone (the list ran to some 24,000 px).
  function listedOnce(event, rangeStart) {
    if (!event.extendedProps || !event.extendedProps.container || !event.end) return event;
    const first = event.start.slice(0, 10);
    const last = event.allDay ? dayBefore(event.end) : event.end.slice(0, 10);
    if (first >= last) return event;
    return {
      ...event,
      start: first < rangeStart ? rangeStart : first,
      end: undefined,
      allDay: true,
      extendedProps: { ...event.extendedProps, runs: [first, last] },
    };
  }
  // Dates only, read in UTC: the same calendar day in every browser time zone.
  const RUNS = new Intl.DateTimeFormat(undefined, {
    month: "short", day: "numeric", year: "numeric", timeZone: "UTC",
  });
  function runsText([first, last]) {
    const day = (iso) => new Date(iso + "T00:00:00Z");
    return "Runs " + RUNS.formatRange(day(first), day(last));
  }

  // Text on an event's colour: black or white, whichever contrasts more (WCAG 2.2 AA needs
  // 4.5:1; white on the amber of tasks was 3.2:1). Works for people's own colours too.
  function luminance(hex) {
    const rgb = (hex || "").match(/^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
    if (!rgb) return null;
    const [r, g, b] = rgb.slice(1).map((part) => {
      const c = parseInt(part, 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function readableOn(hex) {
    const l = luminance(hex);
    if (l === null) return undefined;
    return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? "#ffffff" : "#111827";
  }

  document.addEventListener("DOMContentLoaded", () => {
    loadFiltersFromUrl();
    const filterBox = document.getElementById("filter-box");
    const narrow = window.matchMedia("(max-width: 1023px)");
    if (phone) filterBox.open = false;
    // Turning a tablet or resizing a window folds or unfolds them the same way.
    narrow.addEventListener("change", (change) => { filterBox.open = !change.matches; });
    document.addEventListener("obcms:theme", (change) => {
      calendar.setOption("colorScheme", change.detail.dark ? "dark" : "light");
    });
    const fallbackView = window.matchMedia("(max-width: 639px)").matches ? "listMonth" : "dayGridMonth";
    const initialView = VIEWS.includes(url.searchParams.get("view")) ? url.searchParams.get("view") : fallbackView;
    // The view events were last listed for: a switch between a list and a grid lists them
    // again, since only a list shows each container once (see listedOnce).
    let listing = initialView.startsWith("list");
    const calendar = new FullCalendar.Calendar(document.getElementById("calendar"), {
      initialView,
      initialDate: url.searchParams.get("date") || undefined,
      timeZone: config.timeZone,
      headerToolbar: phone
        ? { start: "prev,next", center: "title", end: "today" }
        : { start: "prev,next today", center: "title", end: VIEWS.join(",") },
      footerToolbar: phone ? { center: VIEWS.join(",") } : false,
      height: "auto",
      // The accessible name of a button must contain its visible text (WCAG 2.5.3):
      // FullCalendar labels "Today" as "This Month" (todayHint).
      todayText: "Today",
      todayHint: "Today",
      dayMaxEvents: 4,
      // Short items first, long containers last (the feed ranks them), then FullCalendar's own
      // order: so a task is on top of its day and the project spanning the month lies below.
      eventOrder: "rank,start,-duration,allDay,title",
      eventOrderStrict: true,
      colorScheme: document.documentElement.classList.contains("dark") ? "dark" : "light",
      navLinks: true,
      // Week and day headers read "Sun 12/6" but their links were named "Go to December 6,
      // 2026" (a name must contain the visible text), and the year view put its month links
      // straight inside an ARIA grid (which may hold only rows): there, headers are no links.
      // The year view: at most three months a row, each wide enough to read its items, two
      // items a day before "+ more".
      views: {
        timeGrid: { navLinks: false },
        multiMonth: {
          navLinks: false, multiMonthMaxColumns: 3, singleMonthMinWidth: 340, dayMaxEvents: 2,
        },
      },
      editable: config.canEdit,
      selectable: config.canCreate,
      eventStartEditable: config.canEdit,
      eventDurationEditable: config.canEdit,
      events(info, success, failure) {
        const filters = currentFilters();
        if (filters.type === "none") { success([]); return; }
        const query = new URLSearchParams({ start: info.startStr, end: info.endStr, timeZone: config.timeZone });
        for (const [key, value] of Object.entries(filters)) {
          for (const part of String(value).split(",")) query.append(key, part);
        }
        fetch(config.feedUrl + "?" + query.toString(), { headers: { Accept: "application/json" } })
          .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
          .then((events) => (listing ? events.map((e) => listedOnce(e, info.startStr.slice(0, 10))) : events))
          .then(success, (status) => {
            window.obcmsMessage("The calendar could not load its items (" + status + ").");
            failure(new Error(String(status)));
          });
      },
      scrollTime: "07:00:00",
      eventDataTransform(event) {
        return { ...event, contrastColor: event.contrastColor || readableOn(event.color) };
      },
      // A day cell named "May 12, 2026" whose visible text is "12 Breakout …" breaks WCAG
      // 2.5.3 (the name must contain the visible text); the day's link inside names the date.
      dayCellDidMount(info) {
        if (info.el.getAttribute("role") === "gridcell") info.el.removeAttribute("aria-label");
      },
      // Containers in day rows (month, year, all-day) become thin bars; their title stays in
      // the link's name and in the tooltip.
      // Given as an option, not added in eventDidMount: FullCalendar re-renders an event's class
      // list when it lays the grid out again (a resize, the "+ more" pass), which dropped classes
      // added by hand, so bars lost their styling and hooks a moment after a reload.
      eventClass: "wi-event",
      // The organisation's non-working days (weekends, holidays, closures) are shaded; as an
      // option, like eventClass, so a re-layout keeps the class.
      dayCellClass(info) {
        const closed = config.nonWorking || { weekdays: [0, 1, 2, 3, 4], dates: [] };
        // The cell's date is midnight in the office's zone or UTC-coerced: noon of either is
        // the same UTC day, so +12 h reads it right in both.
        const day = new Date(info.date.getTime() + 12 * 3600 * 1000);
        const iso = day.toISOString().slice(0, 10);
        const weekday = (day.getUTCDay() + 6) % 7;
        return !closed.weekdays.includes(weekday) || closed.dates.includes(iso) ? "wi-closed" : "";
      },
      rowEventClass(info) {
        return info.event.extendedProps.container ? "wi-thin" : "";
      },
      eventDidMount(info) {
        info.el.dataset.itemId = info.event.extendedProps.itemId;
        const trail = info.event.extendedProps.breadcrumb || [];
        info.el.title = [...trail, info.event.title].join(" › ");
        // The list view has room for the path and a container's days under the title: inside
        // the title's own box, so on a phone they do not take a column of their own beside the
        // title and squeeze it.
        const runs = info.event.extendedProps.runs;
        const lines = [trail.length ? trail.join(" › ") : "", runs ? runsText(runs) : ""];
        if (info.view.type.startsWith("list") && lines.some(Boolean)) {
          const title = [...info.el.querySelectorAll("div")].find(
            (box) => box.childElementCount === 0 && box.textContent === info.event.title,
          );
          title?.classList.add("wi-list-title");
          lines.forEach((text, index) => {
            if (!text) return;
            const line = document.createElement("span");
            line.className = index === 0 ? "wi-path" : "wi-path wi-runs";
            line.textContent = text;
            (title || info.el).append(line);
          });
        }
      },
      eventClick(info) {
        info.jsEvent.preventDefault();
        openPanel(info.event.extendedProps.itemId);
      },
      eventDrop: reschedule,
      eventResize: reschedule,
      select(info) {
        const last = info.allDay ? dayBefore(info.endStr) : info.endStr.slice(0, 10);
        const target = new URL(config.createUrl, window.location.origin);
        target.searchParams.set("type", "activity");
        target.searchParams.set("start_date", info.startStr.slice(0, 10));
        target.searchParams.set("due_date", last);
        window.location.href = target.toString();
      },
      datesSet(info) {
        saveToUrl(calendar);
        if (info.view.type.startsWith("list") !== listing) {
          listing = !listing;
          calendar.refetchEvents();
        }
      },
    });
    calendar.render();
    window.obcmsCalendar = calendar;
    form.addEventListener("change", () => { saveToUrl(calendar); calendar.refetchEvents(); });
    form.addEventListener("submit", (event) => event.preventDefault());
  });
})();
