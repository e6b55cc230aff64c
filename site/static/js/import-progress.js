// Polls a background job's status (a GEDCOM import or export) and moves the progress bar;
// reloads the page once the job has finished, for its report or its download link.
(function () {
  "use strict";
  var box = document.querySelector(".progress[data-status-url]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var label = box.querySelector(".progress__label");
  var status = document.querySelector("[data-job-status]") || document.getElementById("import-status");
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
        if (data.finished || data.status === "succeeded" || data.status === "failed") {
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
