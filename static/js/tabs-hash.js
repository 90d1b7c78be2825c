// A link to a part of the convention page (#article-3, #panneau-historique) opens the tab
// that holds it: the DSFR tabs hide the panels that are not selected.
(function () {
  function reveal() {
    if (!location.hash) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    var panel = target.closest(".fr-tabs__panel");
    if (!panel || panel.classList.contains("fr-tabs__panel--selected")) return;
    var tab = document.querySelector('[role="tab"][aria-controls="' + panel.id + '"]');
    if (tab) {
      tab.click();
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", reveal);
  window.addEventListener("load", reveal);
})();
