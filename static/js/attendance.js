// Attendance sheet: live counters and quorum, keyboard shortcuts (P, R, E, A).
// The server recomputes everything on save and is the one that decides.
(function () {
  "use strict";

  var form = document.getElementById("attendance-form");
  if (!form) {
    return;
  }
  var inOffice = parseInt(form.dataset.inOffice, 10);
  var quorum = parseInt(form.dataset.quorum, 10);
  var perHolder = parseInt(form.dataset.proxiesPerHolder, 10);
  var rows = Array.prototype.slice.call(form.querySelectorAll("tr[data-member]"));
  var keys = { p: "present", r: "represented", e: "excused", a: "absent" };

  function statusOf(row) {
    var checked = row.querySelector("input[type=radio]:checked");
    return checked ? checked.value : "";
  }

  function holderSelect(row) {
    return row.querySelector("select");
  }

  function syncHolder(row) {
    // A disabled field is skipped by Tab: only a represented member has a proxy.
    var represented = statusOf(row) === "represented";
    row.querySelectorAll("select, input[type=date], input[type=checkbox]").forEach(function (field) {
      field.disabled = !represented;
    });
  }

  function problems(counts) {
    var messages = [];
    var held = {};
    var present = {};
    var names = {};
    rows.forEach(function (row) {
      names[row.dataset.member] = row.dataset.name;
      if (statusOf(row) === "present") {
        present[row.dataset.member] = true;
      }
    });
    rows.forEach(function (row) {
      if (statusOf(row) !== "represented") {
        return;
      }
      var holder = holderSelect(row).value;
      if (!holder) {
        messages.push(row.dataset.name + " : indiquez qui détient le pouvoir.");
        return;
      }
      held[holder] = (held[holder] || 0) + 1;
      if (!present[holder]) {
        messages.push(names[holder] + " détient un pouvoir mais n'est pas présent(e).");
      }
    });
    Object.keys(held).forEach(function (holder) {
      if (held[holder] > perHolder) {
        messages.push(
          names[holder] + " détient " + held[holder] + " pouvoirs : " +
          (perHolder === 1 ? "un seul est permis." : perHolder + " au plus sont permis à cette date.")
        );
      }
    });
    return messages;
  }

  function update() {
    var counts = { present: 0, represented: 0, excused: 0, absent: 0, unset: 0 };
    rows.forEach(function (row) {
      var status = statusOf(row);
      counts[status || "unset"] += 1;
      syncHolder(row);
    });
    Object.keys(counts).forEach(function (name) {
      var node = form.querySelector("[data-count=" + name + "]");
      if (node) {
        node.textContent = counts[name];
      }
    });
    // No figure when the statutes fix the quorum: the page says so instead.
    var text = form.querySelector("[data-quorum-text]");
    if (text && !isNaN(quorum)) {
      var reached = counts.present >= quorum;
      text.textContent =
        (reached ? "Quorum atteint : " : "Quorum non atteint : ") +
        counts.present + " présents, il en faut au moins " + quorum + " sur " + inOffice + ".";
    }
    var list = form.querySelector("[data-live-problems]");
    list.textContent = "";
    problems(counts).forEach(function (message) {
      var item = document.createElement("li");
      item.className = "error";
      item.textContent = message;
      list.appendChild(item);
    });
  }

  function focusRow(row) {
    if (!row) {
      return;
    }
    var target = row.querySelector("input[type=radio]:checked") || row.querySelector("input[type=radio]");
    target.focus();
  }

  form.addEventListener("change", update);

  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.type !== "radio" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var status = keys[event.key.toLowerCase()];
    if (!status) {
      return;
    }
    event.preventDefault();
    var row = target.closest("tr");
    var radio = row.querySelector("input[type=radio][value=" + status + "]");
    radio.checked = true;
    update();
    if (status === "represented") {
      holderSelect(row).focus();
    } else {
      focusRow(rows[rows.indexOf(row) + 1]);
    }
  });

  var markAll = form.querySelector("[data-mark-unset-present]");
  if (markAll) {
    markAll.hidden = false;
    markAll.addEventListener("click", function () {
      rows.forEach(function (row) {
        if (!statusOf(row)) {
          row.querySelector("input[type=radio][value=present]").checked = true;
        }
      });
      update();
    });
  }

  update();
})();
