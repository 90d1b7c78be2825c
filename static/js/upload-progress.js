// An import's file sent with a progress bar: the form is posted by XMLHttpRequest, whose
// upload events say how much has left; the answer (the preview, or the form with its
// error) then replaces the page. Without JavaScript, the form posts as usual.
(function () {
  "use strict";
  document.querySelectorAll("form[data-upload-form]").forEach(function (form) {
    var box = form.querySelector("[data-upload-progress-bar]");
    var bar = box && box.querySelector("progress");
    if (!bar || !window.FormData) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var percent = Math.round((progress.loaded / progress.total) * 100);
          bar.value = percent;
          bar.textContent = percent + " %";
        }
      });
      request.addEventListener("load", function () {
        if (request.responseURL && request.responseURL !== window.location.href && request.status < 400) {
          window.location.assign(request.responseURL);
          return;
        }
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", function () {
        form.submit();
      });
      box.hidden = false;
      if (button) {
        button.disabled = true;
      }
      request.send(new FormData(form));
    });
  });
})();
