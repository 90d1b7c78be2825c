// A party's « Représentant à la signature » offers only the representatives of the
// organisation chosen on its row (each option says its organisation in
// data-organisation, see RepresentativeSelect). Without JavaScript every representative
// is listed and the server refuses one of another organisation, in French.
(function () {
  function rowSelects(organisation) {
    var match = organisation.name.match(/^(.*-)organisation$/);
    if (!match) {
      return null;
    }
    var representative = document.querySelector('select[name="' + match[1] + 'representative"]');
    return representative;
  }

  function filter(organisation) {
    var representative = rowSelects(organisation);
    if (!representative) {
      return;
    }
    var chosen = organisation.value;
    Array.prototype.forEach.call(representative.options, function (option) {
      if (option.value === "") {
        return;
      }
      var owner = option.getAttribute("data-organisation");
      var offered = owner === null || owner === chosen;
      option.hidden = !offered;
      option.disabled = !offered;
      if (!offered && option.selected) {
        representative.value = "";
      }
    });
  }

  function isOrganisation(element) {
    return element && element.tagName === "SELECT" && /-organisation$/.test(element.name) && /^parties-/.test(element.name);
  }

  document.querySelectorAll('select[name^="parties-"]').forEach(function (select) {
    if (isOrganisation(select)) {
      filter(select);
    }
  });
  // Rows added by « Ajouter une partie » come later: listen on the document.
  document.addEventListener("change", function (event) {
    if (isOrganisation(event.target)) {
      filter(event.target);
    }
  });
})();
