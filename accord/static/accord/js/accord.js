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

/* Autocomplete fields (core/widgets/autocomplete.html): the search box asks the app's endpoint
   through htmx (the typed text travels as `q`; the box has no name, so no form submits it), the
   answer fills a listbox. Arrow keys move through it, Enter or a click chooses, Escape closes.
   A chosen row becomes a selected <option> of the field's <select>, which the form posts. */
(function () {
  "use strict";

  function parts(el) {
    var root = el && el.closest ? el.closest("[data-autocomplete]") : null;
    if (!root) { return null; }
    return {
      input: root.querySelector("[data-autocomplete-input]"),
      list: root.querySelector("[role=listbox]"),
      select: root.querySelector("select")
    };
  }

  function options(p) {
    return Array.prototype.slice.call(p.list.querySelectorAll('[role=option]:not([aria-disabled="true"])'));
  }

  function show(p, open) {
    p.list.hidden = !open;
    p.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { p.input.removeAttribute("aria-activedescendant"); }
  }

  function activate(p, index) {
    var opts = options(p);
    opts.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (opts[index]) {
      p.input.setAttribute("aria-activedescendant", opts[index].id);
      opts[index].scrollIntoView({ block: "nearest" });
    }
  }

  function choose(p, option) {
    var value = option.getAttribute("data-value");
    var chosen = null;
    Array.prototype.slice.call(p.select.options).forEach(function (o) {
      if (o.value === value) { chosen = o; } else if (o.value && !p.select.multiple) { o.remove(); }
    });
    if (!chosen) {
      chosen = new Option(option.getAttribute("data-label"), value, true, true);
      p.select.add(chosen);
    }
    chosen.selected = true;
    p.input.value = "";
    p.list.innerHTML = "";
    show(p, false);
    p.select.dispatchEvent(new Event("change", { bubbles: true }));  /* filter forms apply it */
    p.input.focus();
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.matches && elt.matches("[data-autocomplete-input]")) {
      event.detail.parameters.q = elt.value;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var p = parts(event.detail.target);
    if (p && event.detail.target === p.list) {
      show(p, p.list.children.length > 0 && p.input.value.trim() !== "");
    }
  });

  document.addEventListener("keydown", function (event) {
    var p = event.target.matches && event.target.matches("[data-autocomplete-input]") ? parts(event.target) : null;
    if (!p) { return; }
    var opts = options(p);
    var current = opts.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!opts.length) { return; }
      event.preventDefault();
      show(p, true);
      var step = event.key === "ArrowDown" ? 1 : -1;
      activate(p, current < 0 ? (step > 0 ? 0 : opts.length - 1) : (current + step + opts.length) % opts.length);
    } else if (event.key === "Enter") {
      event.preventDefault();  /* never submits the form from the search box */
      if (!p.list.hidden && opts.length) { choose(p, opts[current < 0 ? 0 : current]); }
    } else if (event.key === "Escape" && !p.list.hidden) {
      event.preventDefault();
      show(p, false);
    }
  });

  /* mousedown keeps the focus in the search box; click chooses */
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[data-autocomplete] [role=option]");
    if (option) { event.preventDefault(); }
    /* in a multiple choice, a click toggles one option instead of replacing the selection */
    var chosen = event.target.closest && event.target.closest("[data-autocomplete] select[multiple] option");
    if (chosen && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      chosen.selected = !chosen.selected;
      chosen.parentNode.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-autocomplete] [role=option]");
    if (option && option.getAttribute("aria-disabled") !== "true") { choose(parts(option), option); }
  });

  document.addEventListener("focusout", function (event) {
    var p = event.target.matches && event.target.matches("[data-autocomplete-input]") ? parts(event.target) : null;
    if (p && !(event.relatedTarget && p.list.contains(event.relatedTarget))) { show(p, false); }
  });
})();

// The live-search popover closes on Escape and on a click elsewhere; the results stay reachable by Tab.
(function () {
  function popover() { return document.getElementById("global-search-results"); }
  document.addEventListener("keydown", function (event) {
    var box = popover();
    if (event.key === "Escape" && box && box.innerHTML.trim()) {
      box.innerHTML = "";
      var input = document.getElementById("global-search");
      if (input) { input.focus(); }
    }
  });
  document.addEventListener("click", function (event) {
    var box = popover();
    if (box && box.innerHTML.trim() && !event.target.closest(".site-search")) { box.innerHTML = ""; }
  });
})();
