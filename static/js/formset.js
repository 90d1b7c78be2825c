// "Ajouter" buttons of the edit forms: copy the empty row Django renders in a <template>.
// Without JavaScript the page still offers one blank row per list after each save.
document.querySelectorAll("[data-formset-add]").forEach(function (button) {
  var prefix = button.dataset.formsetAdd;
  var template = document.getElementById(prefix + "-template");
  var list = document.querySelector('[data-formset-list="' + prefix + '"]');
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  if (!template || !list || !total) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    list.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
    total.value = index + 1;
    var first = list.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
  });
});
