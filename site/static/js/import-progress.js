// Polls an import's status and moves the progress bar; reloads the page for the report.
(function () {
  "use strict";
  var box = document.querySelector(".progress[data-status-url]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var label = box.querySelector(".progress__label");
  var status = document.getElementById("import-status");
  var delay = 700;

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        label.textContent = data.percent + "%";
        status.textContent = data.status_label;
        status.dataset.status = data.status;
        if (data.status === "succeeded" || data.status === "failed") {
          window.location.replace(box.dataset.jobUrl);
        } else {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        window.setTimeout(poll, delay * 4);
      });
  }
  window.setTimeout(poll, delay);
})();
