// A form sent back with errors: focus moves to its summary, so that a screen reader
// reads it first; each link of the summary then moves the focus to its field.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) {
      return;
    }
    // A group of radio buttons or boxes: its first choice takes the focus.
    var focusable = target.matches("input, select, textarea, button")
      ? target
      : target.querySelector("input:not([type=hidden]), select, textarea");
    event.preventDefault();
    (target.closest(".fr-input-group, .fr-select-group, .fr-fieldset, fieldset") || target).scrollIntoView();
    if (focusable) {
      focusable.focus({ preventScroll: true });
    } else {
      target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    }
  });
})();
