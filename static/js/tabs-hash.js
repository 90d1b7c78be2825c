// A link to a part of the convention page (#article-3, #panneau-historique) opens the tab
// that holds it: the DSFR tabs hide the panels that are not selected. The DSFR script
// starts after this one, so the tab is chosen again until it takes.
(function () {
  function reveal(attempt) {
    if (!location.hash) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    var panel = target.closest(".fr-tabs__panel");
    if (!panel) return;
    if (panel.classList.contains("fr-tabs__panel--selected")) {
      if (attempt > 0) target.scrollIntoView();
      return;
    }
    var tab = document.querySelector('[role="tab"][aria-controls="' + panel.id + '"]');
    if (!tab || attempt > 30) return;
    tab.click();
    window.setTimeout(function () { reveal(attempt + 1); }, 100);
  }
  window.addEventListener("hashchange", function () { reveal(0); });
  window.addEventListener("load", function () { reveal(0); });
})();
