/* Opportunity board (pipeline/board): drag a card onto another column to move the deal.

   Each card carries its own "Move to" form (the keyboard and no-JavaScript way). A drop sets that
   form's stage and submits it; htmx posts it (hx-post) and swaps in the re-rendered board with the
   new totals, or a dialog asking why a deal was lost, or a message that someone else changed the
   deal meanwhile. After a swap the moved card (or the dialog) gets the focus. No inline scripts. */
(function () {
  "use strict";

  var dragged = null;

  function columnOf(el) {
    return el && el.closest ? el.closest(".board-column") : null;
  }

  function isModal(dialog) {
    try { return dialog.matches(":modal"); } catch (e) { return false; }
  }

  function clearTargets() {
    document.querySelectorAll(".board-column.is-drop-target").forEach(function (col) {
      col.classList.remove("is-drop-target");
    });
  }

  function acceptsDrop(col) {
    return col && dragged && col.getAttribute("data-stage") !== dragged.getAttribute("data-stage");
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".board-card[draggable=true]");
    if (!card) { return; }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
    card.classList.add("is-dragging");
    card.setAttribute("aria-grabbed", "true");
  });

  document.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("is-dragging");
      dragged.removeAttribute("aria-grabbed");
    }
    dragged = null;
    clearTargets();
  });

  document.addEventListener("dragover", function (event) {
    var col = columnOf(event.target);
    if (!acceptsDrop(col)) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!col.classList.contains("is-drop-target")) {
      clearTargets();
      col.classList.add("is-drop-target");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var col = columnOf(event.target);
    if (col && !col.contains(event.relatedTarget)) { col.classList.remove("is-drop-target"); }
  });

  document.addEventListener("drop", function (event) {
    var col = columnOf(event.target);
    if (!acceptsDrop(col)) { return; }
    event.preventDefault();
    var card = dragged;
    var form = card.querySelector("form.board-move");
    clearTargets();
    if (!form || !form.elements.stage) { return; }
    form.elements.stage.value = col.getAttribute("data-stage");
    card.classList.add("is-moving");
    if (form.requestSubmit) { form.requestSubmit(); } else { htmx.trigger(form, "submit"); }
  });

  /* After the board came back: open the lost-reason dialog as a modal, or focus the moved card. */
  document.addEventListener("htmx:afterSettle", function () {
    var board = document.getElementById("board");
    if (!board) { return; }
    var dialog = board.querySelector("dialog[data-board-dialog]");
    if (dialog) {
      if (dialog.showModal && !isModal(dialog)) {
        dialog.close();
        dialog.showModal();
      }
      var first = dialog.querySelector("select");
      if (first) { first.focus(); }
      return;
    }
    var id = board.getAttribute("data-focus");
    var card = id ? document.getElementById(id) : null;
    if (card) { card.focus(); }
  });

  /* Escape closes the dialog without moving: ask the board again, as the Cancel button does. */
  document.addEventListener("cancel", function (event) {
    var dialog = event.target;
    if (!dialog.matches || !dialog.matches("dialog[data-board-dialog]")) { return; }
    event.preventDefault();
    var cancel = dialog.querySelector("button[name=cancel]");
    if (cancel) { cancel.click(); }
  }, true);
})();
