// The board: move cards between columns (and within a column of siblings) by mouse drag,
// touch drag (pointer events), the arrow keys, or a "Move … to" menu (Enter on a card). Every move is a POST to
// the server, which applies it through the services; on refusal the card goes back where it
// was and the server's reason is shown.
(function () {
  "use strict";

  const board = document.querySelector("[data-board]");
  if (!board) return;
  const dialog = document.getElementById("board-move-dialog");
  const manual = board.dataset.manual === "1";
  const moveUrl = (id) => board.dataset.moveUrl.replace(/\/0\/move\/$/, "/" + id + "/move/");

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function say(text, kind) {
    if (window.obcmsMessage) window.obcmsMessage(text, kind);
  }

  function cardsOf(list) {
    return Array.from(list.querySelectorAll(":scope > [data-card]"));
  }

  function adjustCount(list, delta) {
    const badge = list.closest(".board-column").querySelector("[data-count]");
    const value = parseInt(badge.textContent, 10) + delta;
    badge.textContent = String(value);
    badge.setAttribute("aria-label", value + " cards");
  }

  function insert(list, card, before) {
    const more = list.querySelector(":scope > .board-more");
    list.insertBefore(card, before || more || null);
  }

  function replaceCard(card, html) {
    if (!html) return card;
    const holder = document.createElement("template");
    holder.innerHTML = html.trim();
    const fresh = holder.content.firstElementChild;
    card.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    return fresh;
  }

  // Send a move that the page already shows; revert it if the server refuses.
  async function send(card, origin, target) {
    const body = new URLSearchParams({
      columns: board.dataset.columns,
      lanes: board.dataset.lanes,
      from_column: origin.list.dataset.column,
      to_column: target.list.dataset.column,
      from_lane: origin.list.dataset.lane,
      to_lane: target.list.dataset.lane,
      version: card.dataset.version,
    });
    if (manual) {
      const next = card.nextElementSibling;
      body.set("before", next && next.matches("[data-card]") ? next.dataset.id : "");
    }
    const sameList = origin.list === target.list;
    if (!sameList) {
      adjustCount(origin.list, -1);
      adjustCount(target.list, +1);
    }
    card.setAttribute("aria-busy", "true");
    let response;
    let data = {};
    try {
      response = await fetch(moveUrl(card.dataset.id), {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
        body: body,
        credentials: "same-origin",
      });
      data = await response.json();
    } catch (error) {
      response = null;
    }
    card.removeAttribute("aria-busy");
    if (response && response.ok) {
      const fresh = replaceCard(card, data.card);
      const label = target.list.getAttribute("aria-label");
      say("Moved “" + fresh.dataset.title + "” to " + label + ".", "success");
      fresh.focus();
      return true;
    }
    // Refused: back to where it was, showing the item as it is now.
    insert(origin.list, card, origin.next && origin.next.parentNode === origin.list ? origin.next : null);
    if (!sameList) {
      adjustCount(origin.list, +1);
      adjustCount(target.list, -1);
    }
    const fresh = response ? replaceCard(card, data.card) : card;
    say(
      (data && data.message) || "The server could not be reached. Nothing was changed.",
      "error"
    );
    fresh.focus();
    return false;
  }

  function placeOf(card) {
    return { list: card.parentElement, next: card.nextElementSibling };
  }

  // Where in `list` a card dropped at vertical position `y` goes (only siblings keep an order).
  function beforeAt(list, y, dragged) {
    if (!manual) return null;
    for (const other of cardsOf(list)) {
      if (other === dragged) continue;
      const box = other.getBoundingClientRect();
      if (y < box.top + box.height / 2) return other;
    }
    return null;
  }

  function dropTo(card, origin, list, before) {
    if (list === origin.list && (!manual || before === origin.next || before === card)) {
      insert(origin.list, card, origin.next);
      return;
    }
    insert(list, card, manual ? before : list.firstElementChild);
    send(card, origin, { list: list });
  }

  // --- mouse: native HTML5 drag and drop ------------------------------------------------------
  let dragging = null;
  let dragOrigin = null;
  board.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest("[data-card][data-editable]");
    if (!card) return;
    dragging = card;
    dragOrigin = placeOf(card);
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.id);
    card.classList.add("opacity-50");
  });
  board.addEventListener("dragover", (event) => {
    if (!dragging) return;
    const list = event.target.closest && event.target.closest("[data-cards]");
    if (!list || list.dataset.lane !== dragOrigin.list.dataset.lane && !board.dataset.lanes) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  });
  board.addEventListener("drop", (event) => {
    if (!dragging) return;
    const list = event.target.closest && event.target.closest("[data-cards]");
    if (!list) return;
    event.preventDefault();
    const card = dragging;
    card.classList.remove("opacity-50");
    dragging = null;
    dropTo(card, dragOrigin, list, beforeAt(list, event.clientY, card));
  });
  board.addEventListener("dragend", () => {
    if (dragging) dragging.classList.remove("opacity-50");
    dragging = null;
  });

  // --- touch and pen: pointer events (HTML5 drag and drop does not start from touch) ---------
  let touch = null;
  board.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse") return;
    const card = event.target.closest && event.target.closest("[data-card][data-editable]");
    if (!card || event.target.closest("a, button")) return;
    touch = { card, id: event.pointerId, x: event.clientX, y: event.clientY, active: false };
    // A long press starts the drag, so a swipe still scrolls the board sideways.
    touch.timer = window.setTimeout(() => {
      if (!touch) return;
      touch.active = true;
      touch.origin = placeOf(card);
      card.classList.add("opacity-50", "ring-2", "ring-brand-600");
      card.setPointerCapture(touch.id);
    }, 350);
  });
  board.addEventListener("pointermove", (event) => {
    if (!touch || event.pointerId !== touch.id) return;
    if (!touch.active) {
      if (Math.hypot(event.clientX - touch.x, event.clientY - touch.y) > 8) {
        window.clearTimeout(touch.timer);
        touch = null;
      }
      return;
    }
    event.preventDefault();
    touch.lastX = event.clientX;
    touch.lastY = event.clientY;
  });
  function endTouch(event, cancelled) {
    if (!touch || event.pointerId !== touch.id) return;
    window.clearTimeout(touch.timer);
    const state = touch;
    touch = null;
    if (!state.active) return;
    state.card.classList.remove("opacity-50", "ring-2", "ring-brand-600");
    if (cancelled || state.lastX === undefined) return;
    const under = document.elementFromPoint(state.lastX, state.lastY);
    const list = under && under.closest("[data-cards]");
    if (list && board.contains(list)) {
      dropTo(state.card, state.origin, list, beforeAt(list, state.lastY, state.card));
    }
  }
  board.addEventListener("pointerup", (event) => endTouch(event, false));
  board.addEventListener("pointercancel", (event) => endTouch(event, true));
  board.addEventListener("touchmove", (event) => {
    if (touch && touch.active) event.preventDefault();
  }, { passive: false });

  // --- keyboard: arrows on a focused card, or the "Move … to" menu -----------------------------
  function listsOfLane(lane) {
    return Array.from(board.querySelectorAll("[data-cards]")).filter(
      (list) => list.dataset.lane === lane
    );
  }

  function moveToList(card, list, position) {
    const origin = placeOf(card);
    if (list === origin.list && position === undefined) return;
    let before = list.querySelector(":scope > [data-card]");
    if (position === "up") before = card.previousElementSibling;
    if (position === "down") before = card.nextElementSibling && card.nextElementSibling.nextElementSibling;
    if (!manual && list !== origin.list) before = list.querySelector(":scope > [data-card]");
    if (manual && list !== origin.list) before = null;
    insert(list, card, before && before.matches("[data-card]") ? before : null);
    if (list === origin.list && card.nextElementSibling === origin.next) return;
    send(card, origin, { list: list });
  }

  board.addEventListener("keydown", (event) => {
    const card = event.target.matches && event.target.matches("[data-card][data-editable]")
      ? event.target : null;
    if (!card) return;
    const lists = listsOfLane(card.parentElement.dataset.lane);
    const index = lists.indexOf(card.parentElement);
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      const next = lists[index + (event.key === "ArrowRight" ? 1 : -1)];
      if (!next) return;
      event.preventDefault();
      moveToList(card, next);
    } else if (event.key === "Enter") {
      const menu = card.querySelector("[data-move-menu]");
      if (!menu) return;
      event.preventDefault();
      menu.click();
    } else if (manual && event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      moveToList(card, card.parentElement, event.key === "ArrowUp" ? "up" : "down");
    }
  });

  let menuCard = null;
  board.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-move-menu]");
    if (!button || !dialog) return;
    menuCard = button.closest("[data-card]");
    dialog.querySelector("[data-move-title]").textContent = menuCard.dataset.title;
    const options = dialog.querySelector("[data-move-options]");
    options.replaceChildren();
    for (const list of listsOfLane(menuCard.parentElement.dataset.lane)) {
      const choice = document.createElement("button");
      choice.type = "button";
      choice.className = "btn min-h-11 w-full";
      choice.textContent = list.getAttribute("aria-label");
      if (list === menuCard.parentElement) {
        choice.disabled = true;
        choice.textContent += " (now)";
      }
      choice.addEventListener("click", () => {
        dialog.close();
        moveToList(menuCard, list);
      });
      options.append(choice);
    }
    dialog.showModal();
  });
  if (dialog) {
    dialog.querySelector("[data-move-cancel]").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      if (menuCard && menuCard.isConnected && document.activeElement === document.body) {
        menuCard.focus();
      }
    });
  }
})();
