/*
 * Live help for the statistics entry grid (templates/activity/_entry_table.html).
 *
 * - the quarter total of each row follows the typing;
 * - the partition rules of activity/checks.py run on each change, with the same
 *   French messages, next to the group for the month concerned;
 * - Tab moves down a month's column, then to the top of the next month.
 *
 * The server checks everything again: this script only spares a round trip.
 */
(function () {
  "use strict";

  var grid = document.getElementById("entry-grid");
  if (!grid) {
    return;
  }
  var summary = document.getElementById("entry-summary");
  var inputs = Array.prototype.slice.call(grid.querySelectorAll("input.cell"));
  var months = [];
  inputs.forEach(function (input) {
    var month = input.dataset.month;
    if (months.indexOf(month) === -1) {
      months.push(month);
    }
  });

  function cell(month, code) {
    return document.getElementById("id_m" + month + "_" + code);
  }

  function valueOf(input) {
    if (!input || input.value.trim() === "") {
      return null;
    }
    var number = Number(input.value);
    return Number.isInteger(number) && number >= 0 ? number : NaN;
  }

  function labelOf(code) {
    var header = document.getElementById("row-" + code);
    return header ? header.firstChild.textContent.trim() : code;
  }

  function updateRowTotal(code) {
    var target = grid.querySelector('[data-row-total="' + code + '"]');
    if (!target) {
      return;
    }
    var total = null;
    months.forEach(function (month) {
      var value = valueOf(cell(month, code));
      if (value !== null && !Number.isNaN(value)) {
        total = (total || 0) + value;
      }
    });
    target.textContent = total === null ? "" : String(total);
  }

  function codesOf(group) {
    return Array.prototype.map.call(group.querySelectorAll('input.cell[data-month="' + months[0] + '"]'), function (input) {
      return input.dataset.code;
    });
  }

  // Mirrors activity/checks.py group_problems(): same rules, same messages.
  function groupProblems(group, month) {
    var totalCode = group.dataset.total;
    var total = valueOf(cell(month, totalCode));
    if (totalCode === "" || total === null || Number.isNaN(total)) {
      return [];
    }
    var label = group.dataset.label;
    var totalLabel = labelOf(totalCode);
    var codes = codesOf(group);
    var values = codes.map(function (code) { return valueOf(cell(month, code)); });
    if (values.some(Number.isNaN)) {
      return [];
    }
    var typed = values.filter(function (v) { return v !== null; });
    var sum = typed.reduce(function (a, b) { return a + b; }, 0);
    if (group.dataset.kind === "partition") {
      if (typed.length === values.length && sum !== total) {
        return [{ codes: codes, message: "La somme des lignes « " + label + " » (" + sum + ") doit être égale à « " + totalLabel + " » (" + total + ")." }];
      }
      if (sum > total) {
        return [{ codes: codes, message: "Les lignes déjà saisies de « " + label + " » (" + sum + ") dépassent « " + totalLabel + " » (" + total + ")." }];
      }
      return [];
    }
    if (group.dataset.kind === "multiple") {
      return codes.filter(function (code, index) {
        return values[index] !== null && values[index] > total;
      }).map(function (code) {
        return { codes: [code], message: "« " + labelOf(code) + " » (" + valueOf(cell(month, code)) + ") ne peut pas dépasser « " + totalLabel + " » (" + total + ") : une personne compte au plus une fois par ligne." };
      });
    }
    return [];
  }

  // Set an attribute only when it changes: this runs for every cell at each keystroke, and
  // each change reaches the accessibility tree (and screen readers).
  function setAttribute(input, name, value) {
    if (value === null) {
      if (input.hasAttribute(name)) {
        input.removeAttribute(name);
      }
    } else if (input.getAttribute(name) !== value) {
      input.setAttribute(name, value);
    }
  }

  // A cell breaking a rule is invalid and described by the message of its "Contrôle" row,
  // after its own help.
  function mark(input, checkId) {
    var invalid = checkId !== null || (input.value.trim() !== "" && Number.isNaN(valueOf(input)));
    setAttribute(input, "aria-invalid", invalid ? "true" : null);
    var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id !== "" && id.indexOf("check-") !== 0;
    });
    if (checkId) {
      ids.push(checkId);
    }
    setAttribute(input, "aria-describedby", ids.length ? ids.join(" ") : null);
  }

  function checkAll() {
    var count = 0;
    var checkOf = {};  // cell id -> id of the message it breaks
    grid.querySelectorAll("tbody[data-kind]").forEach(function (group) {
      var row = group.querySelector(".check-row");
      if (!row) {
        return;
      }
      var groupHasProblem = false;
      months.forEach(function (month) {
        var target = row.querySelector('[data-check-month="' + month + '"]');
        var problems = groupProblems(group, month);
        target.textContent = "";
        problems.forEach(function (problem) {
          var p = document.createElement("p");
          p.className = "error";
          p.textContent = problem.message;
          target.appendChild(p);
          problem.codes.forEach(function (code) {
            checkOf[cell(month, code).id] = target.id;
          });
        });
        count += problems.length;
        groupHasProblem = groupHasProblem || problems.length > 0;
      });
      row.hidden = !groupHasProblem;
    });
    inputs.forEach(function (input) {
      if (!(input.id in checkOf) && input.value.trim() !== "" && Number.isNaN(valueOf(input))) {
        count += 1;
      }
      mark(input, input.id in checkOf ? checkOf[input.id] : null);
    });
    if (summary) {
      summary.textContent = count === 0
        ? "Aucune incohérence dans les chiffres saisis."
        : count + (count > 1 ? " incohérences à corriger" : " incohérence à corriger") + " (voir les lignes « Contrôle »). Vous pouvez tout de même continuer la saisie.";
    }
  }

  grid.addEventListener("input", function (event) {
    if (event.target.matches("input.cell")) {
      updateRowTotal(event.target.dataset.code);
      checkAll();
    }
  });

  // Column order: every row of the first month, then of the next one.
  var columnOrder = inputs.filter(function (input) { return !input.disabled; }).sort(function (a, b) {
    var byMonth = Number(a.dataset.month) - Number(b.dataset.month);
    return byMonth !== 0 ? byMonth : inputs.indexOf(a) - inputs.indexOf(b);
  });
  grid.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var index = columnOrder.indexOf(event.target);
    if (index === -1) {
      return;
    }
    var next = columnOrder[index + (event.shiftKey ? -1 : 1)];
    if (next) {
      event.preventDefault();
      next.focus();
      next.select();
    }
  });

  if (grid.querySelector('.check-row:not([hidden])') === null) {
    checkAll();
  }
}());
