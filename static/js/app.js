// Progressive enhancement only: the app works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen-reader and keyboard users hear what went wrong.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Warn before leaving a step with unsaved typing (navigation buttons save first, so they are exempt).
  const form = document.getElementById("step-form");
  if (!form) return;
  let dirty = false;
  form.addEventListener("input", () => { dirty = true; });
  document.querySelectorAll("button[form='step-form'], #step-form button").forEach((button) => {
    button.addEventListener("click", () => { dirty = false; });
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
});
