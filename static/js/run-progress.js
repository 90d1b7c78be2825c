// The page of a run that waits for its worker: asks its state every few seconds and
// reloads itself once it is finished (the « Actualiser » button does the same by hand).
(function () {
  var box = document.querySelector("[data-run-state]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-run-state");
  var delay = 2000;
  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && state.fini) {
          window.location.reload();
        } else {
          delay = Math.min(delay * 1.5, 15000);
          window.setTimeout(ask, delay);
        }
      })
      .catch(function () { window.setTimeout(ask, 15000); });
  }
  window.setTimeout(ask, delay);
})();
