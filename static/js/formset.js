// "Ajouter" buttons of the edit forms: copy the empty row Django renders in a <template>
// (its "__prefix__" becomes the row's index, "__number__" its number for the labels)
// and count it in the formset's TOTAL_FORMS. Without JavaScript the button stays
// hidden and an empty list shows one blank row (config.core.forms.AddableRowsFormSet).
document.querySelectorAll("[data-formset-add]").forEach(function (button) {
  var prefix = button.dataset.formsetAdd;
  var template = document.getElementById(prefix + "-template");
  var list = document.querySelector('[data-formset-list="' + prefix + '"]');
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  if (!template || !list || !total) {
    return;
  }
  button.hidden = false;
  // A list shown empty (« Aucun membre pour l'instant. ») keeps its blank row for browsers
  // without JavaScript only, in <noscript>: here that row is not in the form, so none is
  // counted, and the first « Ajouter » makes row 0.
  var empty = document.querySelector('[data-formset-empty="' + prefix + '"]');
  if (empty) {
    total.value = 0;
  }
  button.addEventListener("click", function () {
    if (empty) {
      empty.hidden = true;
    }
    var index = parseInt(total.value, 10);
    list.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1));
    total.value = index + 1;
    var first = list.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
  });
});
