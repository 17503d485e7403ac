// Follows a background job: polls its status once a second, updates the progress bar and, when the job
// ends, reloads the page, which then shows the result. Loaded as a file (the content security policy
// allows no inline script); without JavaScript the page says to reload it.
(function () {
  "use strict";
  var panel = document.querySelector("[data-job-status-url]");
  if (!panel) { return; }
  var url = panel.getAttribute("data-job-status-url");
  var bar = panel.querySelector("progress");
  var status = panel.querySelector("[data-job-status]");
  var stage = panel.querySelector("[data-job-stage]");
  var counts = panel.querySelector("[data-job-counts]");
  var hint = panel.querySelector("[data-job-hint]");
  if (hint) { hint.hidden = true; }

  function show(job) {
    if (status) { status.textContent = job.status_label; }
    if (stage) { stage.textContent = job.stage_label; }
    if (bar && job.total) { bar.max = job.total; bar.value = job.done; }
    if (counts && job.total) { counts.textContent = job.done.toLocaleString() + " / " + job.total.toLocaleString(); }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { window.setTimeout(poll, 3000); return; }
        show(job);
        if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
