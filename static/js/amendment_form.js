// Amendment form: offers the text in force when an article is to be replaced,
// and adds blank article changes on demand. The form works without it.
(function () {
  "use strict";
  var dataElement = document.getElementById("current-articles");
  var container = document.getElementById("article-changes");
  if (!dataElement || !container) {
    return;
  }
  var articles = JSON.parse(dataElement.textContent);

  function prefill(fieldset) {
    var number = fieldset.querySelector("[data-article-number]");
    var action = fieldset.querySelector("[data-action]");
    var title = fieldset.querySelector("[data-new-title]");
    var body = fieldset.querySelector("[data-new-body]");
    var article = articles[number.value];
    // Never overwrite what the user has typed.
    if (!article || action.value !== "replace" || body.value.trim() !== "") {
      return;
    }
    body.value = article.body;
    if (title.value.trim() === "") {
      title.value = article.title;
    }
  }

  container.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.article-change");
    if (fieldset && (event.target.matches("[data-article-number]") || event.target.matches("[data-action]"))) {
      prefill(fieldset);
    }
  });

  var template = document.getElementById("article-change-template");
  var addButton = document.getElementById("add-article-change");
  var total = document.getElementById("id_changes-TOTAL_FORMS");
  if (!template || !addButton || !total) {
    return;
  }
  addButton.hidden = false;
  addButton.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = container.lastElementChild;
    added.querySelector("legend").textContent = "Modification d'article n° " + (index + 1);
    added.querySelector("[data-article-number]").focus();
  });
})();
