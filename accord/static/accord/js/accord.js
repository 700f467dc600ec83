/* Accord: the little behaviour the pages need beyond htmx. Loaded with `defer`; no inline scripts. */
(function () {
  "use strict";

  /* "/" focuses the global search, unless the user is typing somewhere. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
      return;
    }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    var search = document.getElementById("global-search");
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });

  /* Bulk actions: in a form, <input type="checkbox" data-select-all> toggles every
     <input type="checkbox" name="pk">, and [data-bulk-action] buttons are enabled only while one is checked. */
  function rowBoxes(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === "pk" && el.type === "checkbox" && !el.disabled;
    });
  }

  function bulkButtons(form) {
    var inside = Array.prototype.slice.call(form.querySelectorAll("[data-bulk-action]"));
    var outside = form.id
      ? Array.prototype.slice.call(document.querySelectorAll('[data-bulk-action][form="' + form.id + '"]'))
      : [];
    return inside.concat(outside.filter(function (el) { return inside.indexOf(el) === -1; }));
  }

  function sync(form) {
    var boxes = rowBoxes(form);
    var checked = boxes.filter(function (box) { return box.checked; }).length;
    Array.prototype.forEach.call(form.querySelectorAll("input[data-select-all]"), function (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    });
    bulkButtons(form).forEach(function (button) {
      if ("disabled" in button && button.tagName !== "A") {
        button.disabled = checked === 0;
      } else {
        button.setAttribute("aria-disabled", checked === 0 ? "true" : "false");
      }
    });
  }

  function syncAll(root) {
    var forms = new Set();
    (root || document).querySelectorAll("input[data-select-all], input[name=pk]").forEach(function (el) {
      if (el.form) { forms.add(el.form); }
    });
    forms.forEach(sync);
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el || !el.form) { return; }
    if (el.matches("input[data-select-all]")) {
      rowBoxes(el.form).forEach(function (box) { box.checked = el.checked; });
      sync(el.form);
    } else if (el.name === "pk" && el.type === "checkbox") {
      sync(el.form);
    }
  });

  document.addEventListener("DOMContentLoaded", function () { syncAll(document); });
  /* rows swapped in by htmx (sorting, paging, filtering) start unselected */
  document.addEventListener("htmx:afterSettle", function () { syncAll(document); });
})();

// Selects marked data-autosubmit submit their form on change; the button stays for no-JS use.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
    el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
  }
});
