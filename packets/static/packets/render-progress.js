// Live progress for a render: polls the job's status endpoint and updates the status line and the step list in place
// (both come from the same server-side progress, packets/rendering/progress.py), then loads the page once more when
// the render has finished, to show its download or why it failed. Without JavaScript the page refreshes itself
// (<noscript><meta http-equiv="refresh">), so this is only an improvement.
(function () {
  "use strict";
  const box = document.getElementById("render-progress");
  if (!box || box.dataset.finished === "true") return;
  const stateLine = box.querySelector(".render-state");
  const stepList = box.querySelector(".render-steps");
  const INTERVAL = 1000;

  function showSteps(steps) {
    if (!stepList || !Array.isArray(steps)) return;
    const items = steps.map(function (step) {
      const item = document.createElement("li");
      item.className = "step-" + step.state;
      if (step.state === "current") item.setAttribute("aria-current", "step");
      item.textContent = step.label;
      return item;
    });
    stepList.replaceChildren.apply(stepList, items);
  }

  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        const status = await response.json();
        if (status.finished) {
          window.location.replace(window.location.href);
          return;
        }
        if (stateLine && stateLine.textContent !== status.status_line) stateLine.textContent = status.status_line;
        showSteps(status.steps);
      }
    } catch (error) {
      // A dropped request is retried on the next tick.
    }
    window.setTimeout(poll, INTERVAL);
  }
  window.setTimeout(poll, INTERVAL / 2);
})();
