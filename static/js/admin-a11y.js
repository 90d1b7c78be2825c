// Accessible names that Django's admin widgets leave out (axe-core, tests/e2e/test_axe_all_pages.py):
// - the fields of a tabular inline have their column header, not a <label>: each takes the
//   header's text (and the row number) as its name;
// - select2's combobox, its read-only text box and its search box (autocomplete fields) take
//   the label of the select;
// - the magnifier of a « filter_horizontal » box carries a label: it is an image;
// - select2 puts its « × » (clear) inside the list of choices: it moves next to the list.
// It runs once every « load » handler has run (SelectFilter2 builds its boxes on « load »).
(function () {
  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/\s*:\s*$/, "").trim() : "";
  }

  function nameTabularFields() {
    document.querySelectorAll(".inline-group .tabular table").forEach(function (table) {
      var headers = Array.from(table.querySelectorAll("thead th"));
      table.querySelectorAll("tbody tr.form-row").forEach(function (row, index) {
        Array.from(row.children).forEach(function (cell) {
          var header = headers.find(function (th) {
            return th.cellIndex === cell.cellIndex;
          });
          var text = header ? header.textContent.trim() : "";
          if (!text) return;
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
            if (field.labels && field.labels.length) return;
            if (!field.hasAttribute("aria-label")) {
              field.setAttribute("aria-label", text + " (ligne " + (index + 1) + ")");
            }
          });
        });
      });
    });
  }

  function nameSelect2() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      var name = labelOf(select) || select.getAttribute("aria-label") || "";
      if (!name) return;
      container.querySelectorAll('[role="combobox"], [role="textbox"], .select2-search__field').forEach(function (el) {
        el.setAttribute("aria-label", name);
      });
      var list = container.querySelector("ul.select2-selection__rendered");
      if (list && !list.dataset.clearMoved) {
        list.dataset.clearMoved = "1";
        // select2 draws the list again at each change: a new « × » replaces the one moved
        // before, and none stays once nothing is chosen.
        var moveClear = function () {
          var clear = list.querySelector(":scope > .select2-selection__clear");
          var moved = list.parentNode.querySelectorAll(":scope > .select2-selection__clear");
          if (clear || !list.querySelector(".select2-selection__choice")) {
            moved.forEach(function (old) { old.remove(); });
          }
          if (clear) list.parentNode.insertBefore(clear, list);
        };
        moveClear();
        new MutationObserver(moveClear).observe(list, { childList: true });
      }
    });
  }

  function nameFilterIcons() {
    document.querySelectorAll(".help-tooltip[aria-label], .search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function run() {
    nameTabularFields();
    nameSelect2();
    nameFilterIcons();
  }

  window.addEventListener("load", function () {
    window.setTimeout(run, 0);
  });
  // A row added with « Ajouter un objet » gets its names too.
  document.addEventListener("formset:added", function () {
    window.setTimeout(run, 0);
  });
})();
