// Live progress for a render: polls the job's status and reloads the page once it has finished.
// Without JavaScript the page refreshes itself (<meta http-equiv="refresh">), so this is only an improvement.
(function () {
  "use strict";
  const box = document.getElementById("render-progress");
  if (!box || box.dataset.finished === "true") return;
  const refresh = document.querySelector('meta[http-equiv="refresh"]');
  if (refresh) refresh.remove();
  const stateLine = box.querySelector(".render-state");
  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const status = await response.json();
        if (status.finished) { window.location.reload(); return; }
        if (stateLine) stateLine.textContent = status.label + "…";
      }
    } catch (error) {
      // A dropped request is retried on the next tick.
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 500);
})();
