// The repeat builder of the work item form. It mirrors common/calendar/rule_builder.py: the
// choices write the RFC 5545 rule into the raw field, a rule typed there is read back into the
// choices when they can show it, and the sentence ("Every 2 weeks on Mon and Wed, 6 times")
// follows both. The server checks the rule again on save.
(function () {
  "use strict";

  const root = document.querySelector("[data-repeat]");
  const raw = document.getElementById("id_recurrence_rule");
  if (!root || !raw) return;

  const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
  const SHORT = { MO: "Mon", TU: "Tue", WE: "Wed", TH: "Thu", FR: "Fri", SA: "Sat", SU: "Sun" };
  const LONG = {
    MO: "Monday", TU: "Tuesday", WE: "Wednesday", TH: "Thursday", FR: "Friday",
    SA: "Saturday", SU: "Sunday",
  };
  const ORDINALS = { 1: "first", 2: "second", 3: "third", 4: "fourth", "-1": "last" };
  const UNITS = { daily: "day", weekly: "week", monthly: "month", yearly: "year" };
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const positive = (text) => (/^\d+$/.test(text) && Number(text) > 0 ? Number(text) : null);

  function parse(rule) {
    let text = rule.trim();
    if (text.toUpperCase().startsWith("RRULE:")) text = text.slice(6);
    const pairs = {};
    for (const chunk of text.split(";")) {
      if (!chunk.trim()) continue;
      const at = chunk.indexOf("=");
      if (at < 0) return null;
      const key = chunk.slice(0, at).trim().toUpperCase();
      const value = chunk.slice(at + 1).trim().toUpperCase();
      if (!value || key in pairs) return null;
      pairs[key] = value;
    }
    const freq = (pairs.FREQ || "").toLowerCase();
    if (!(freq in UNITS)) return null;
    delete pairs.FREQ;
    const parts = {
      freq, interval: 1, weekdays: [], monthlyBy: "day", monthDay: null, nth: 1, nthWeekday: "MO",
      ends: "never", until: null, count: null,
    };
    if ("INTERVAL" in pairs) {
      parts.interval = positive(pairs.INTERVAL);
      if (!parts.interval) return null;
      delete pairs.INTERVAL;
    }
    if ("COUNT" in pairs && "UNTIL" in pairs) return null;
    if ("COUNT" in pairs) {
      parts.ends = "after";
      parts.count = positive(pairs.COUNT);
      if (!parts.count) return null;
      delete pairs.COUNT;
    }
    if ("UNTIL" in pairs) {
      const m = /^(\d{4})(\d{2})(\d{2})/.exec(pairs.UNTIL);
      if (!m) return null;
      parts.ends = "on";
      parts.until = m[1] + "-" + m[2] + "-" + m[3];
      delete pairs.UNTIL;
    }
    const byday = pairs.BYDAY;
    const bymonthday = pairs.BYMONTHDAY;
    delete pairs.BYDAY;
    delete pairs.BYMONTHDAY;
    if (Object.keys(pairs).length) return null;
    if (freq === "weekly" && bymonthday === undefined) {
      const days = byday ? byday.split(",") : [];
      if (days.some((d) => !DAYS.includes(d)) || new Set(days).size !== days.length) return null;
      parts.weekdays = DAYS.filter((d) => days.includes(d));
      return parts;
    }
    if (freq === "monthly" && !(byday && bymonthday)) {
      if (bymonthday !== undefined) {
        parts.monthDay = positive(bymonthday);
        return parts.monthDay && parts.monthDay <= 31 ? parts : null;
      }
      if (byday !== undefined) {
        const nth = byday.slice(0, -2).replace(/^\+/, "");
        const day = byday.slice(-2);
        if (!DAYS.includes(day) || !(nth in ORDINALS)) return null;
        Object.assign(parts, { monthlyBy: "weekday", nth: Number(nth), nthWeekday: day });
      }
      return parts;
    }
    return byday || bymonthday ? null : parts;
  }

  function compose(p) {
    const pieces = ["FREQ=" + p.freq.toUpperCase()];
    if (p.interval > 1) pieces.push("INTERVAL=" + p.interval);
    if (p.freq === "weekly" && p.weekdays.length) pieces.push("BYDAY=" + p.weekdays.join(","));
    if (p.freq === "monthly" && p.monthlyBy === "weekday") pieces.push("BYDAY=" + p.nth + p.nthWeekday);
    else if (p.freq === "monthly" && p.monthDay) pieces.push("BYMONTHDAY=" + p.monthDay);
    if (p.ends === "after" && p.count) pieces.push("COUNT=" + p.count);
    else if (p.ends === "on" && p.until) pieces.push("UNTIL=" + p.until.replaceAll("-", ""));
    return pieces.join(";");
  }

  const and = (words) => (words.length === 1 ? words[0]
    : words.slice(0, -1).join(", ") + " and " + words[words.length - 1]);

  function describe(p) {
    const unit = UNITS[p.freq];
    let text = p.interval === 1 ? "Every " + unit : "Every " + p.interval + " " + unit + "s";
    if (p.freq === "weekly" && p.weekdays.length) text += " on " + and(p.weekdays.map((d) => SHORT[d]));
    else if (p.freq === "monthly" && p.monthlyBy === "weekday") {
      text += " on the " + ORDINALS[p.nth] + " " + LONG[p.nthWeekday];
    } else if (p.freq === "monthly" && p.monthDay) text += " on day " + p.monthDay;
    if (p.ends === "after" && p.count) text += p.count === 1 ? ", once" : ", " + p.count + " times";
    else if (p.ends === "on" && p.until) {
      const [y, m, d] = p.until.split("-").map(Number);
      text += ", until " + MONTHS[m - 1] + " " + d + ", " + y;
    }
    return text;
  }

  const field = (name) => root.querySelector('[name="repeat-' + name + '"]');
  const checked = (name) => {
    const box = root.querySelector('[name="repeat-' + name + '"]:checked');
    return box ? box.value : "";
  };
  const freq = field("freq");

  function read() {
    return {
      freq: freq.value,
      interval: positive(field("interval").value) || 1,
      weekdays: [...root.querySelectorAll('[name="repeat-weekdays"]:checked')].map((b) => b.value),
      monthlyBy: checked("monthly_by") || "day",
      monthDay: positive(field("month_day").value),
      nth: Number(field("nth").value || 1),
      nthWeekday: field("nth_weekday").value || "MO",
      ends: checked("ends") || "never",
      until: field("until").value || null,
      count: positive(field("count").value),
    };
  }

  function write(p) {
    freq.value = p.freq;
    field("interval").value = p.interval;
    root.querySelectorAll('[name="repeat-weekdays"]').forEach((b) => { b.checked = p.weekdays.includes(b.value); });
    root.querySelectorAll('[name="repeat-monthly_by"]').forEach((b) => { b.checked = b.value === p.monthlyBy; });
    field("month_day").value = p.monthDay || "";
    field("nth").value = String(p.nth);
    field("nth_weekday").value = p.nthWeekday;
    root.querySelectorAll('[name="repeat-ends"]').forEach((b) => { b.checked = b.value === p.ends; });
    field("until").value = p.until || "";
    field("count").value = p.count || "";
  }

  function sentence() {
    const rule = raw.value.trim();
    if (!rule) return "Does not repeat";
    const parts = parse(rule);
    return parts ? describe(parts) : "By the rule " + rule.replace(/^RRULE:/i, "");
  }

  function show() {
    const chosen = freq.value;
    root.querySelectorAll("[data-repeat-show]").forEach((part) => {
      part.hidden = !part.dataset.repeatShow.split(" ").includes(chosen);
    });
    const interval = positive(field("interval").value) || 1;
    const unit = root.querySelector("[data-repeat-unit]");
    if (unit && UNITS[chosen]) unit.textContent = UNITS[chosen] + (interval === 1 ? "" : "s");
    const words = sentence();
    root.querySelector("[data-repeat-words]").textContent = words;
    const summary = document.querySelector("[data-repeat-summary]");
    if (summary) summary.textContent = words;
  }

  function fromChoices() {
    if (freq.value === "none") raw.value = "";
    else if (freq.value !== "custom") raw.value = compose(read());
    show();
  }

  function fromRule() {
    const parts = raw.value.trim() ? parse(raw.value) : null;
    if (parts) write(parts);
    else freq.value = raw.value.trim() ? "custom" : "none";
    show();
  }

  const follow = (event) => {
    if (event.target === raw) fromRule();
    else if ((event.target.name || "").startsWith("repeat-")) fromChoices();
  };
  root.addEventListener("input", follow);
  root.addEventListener("change", follow);
  show();
})();
