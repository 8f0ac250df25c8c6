// Progressive enhancement of forms; every form works without it (the server checks lengths and stores each
// submission once). Loaded from base.html as a file of our own origin: the Content Security Policy runs no inline code.
(() => {
  "use strict";

  // "%(count)s of %(max)s characters": the words come translated from the page (data-count-words, data-over-words).
  const fill = (words, values) => words.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? values[name] : whole));

  // A live count under each field with a length limit: always for a text area, and for a one-line field once it is
  // nearly full. A field over its limit says so in words, and a screen reader hears it once, when it happens.
  const countCharacters = (field) => {
    const max = Number(field.dataset.maxLength);
    if (!max) return;
    const count = document.createElement("p");
    count.className = "hint char-count";
    count.id = `${field.id}_count`;
    const announce = document.createElement("p");
    announce.className = "visually-hidden";
    announce.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", count);
    count.insertAdjacentElement("afterend", announce);
    const describedBy = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    field.setAttribute("aria-describedby", [...describedBy, count.id].join(" "));
    let wasOver = false;
    const update = () => {
      const length = [...field.value].length; // characters, as the server counts them, not UTF-16 units
      const over = length > max;
      const values = { count: length.toLocaleString(), max: max.toLocaleString() };
      count.textContent = fill(over ? field.dataset.overWords : field.dataset.countWords, values);
      count.classList.toggle("char-count-over", over);
      count.hidden = !over && field.tagName !== "TEXTAREA" && length < max * 0.8;
      if (over !== wasOver) announce.textContent = over ? count.textContent : "";
      wasOver = over;
    };
    field.addEventListener("input", update);
    update();
  };

  // One submission per form showing a file field: the button pressed says "Uploading…" and is busy, and a second
  // press (or Enter) while the first is on its way does nothing. The buttons are not disabled: a disabled button
  // would drop its own name and value (the wizard's "next", "previous") from the submission.
  const submitOnce = (form) => {
    const fileInputs = [...form.querySelectorAll("input[type=file][data-busy-words]")];
    if (!fileInputs.length) return;
    let sent = false;
    form.addEventListener("submit", (event) => {
      if (sent) {
        event.preventDefault();
        return;
      }
      sent = true;
      const chosen = fileInputs.find((input) => input.files && input.files.length);
      const buttons = [...form.elements].filter((element) => element.type === "submit");
      buttons.forEach((button) => button.setAttribute("aria-disabled", "true"));
      const pressed = event.submitter;
      if (pressed && buttons.includes(pressed)) {
        pressed.setAttribute("aria-busy", "true");
        if (chosen) {
          pressed.dataset.idleWords = pressed.textContent;
          pressed.textContent = chosen.dataset.busyWords;
        }
      }
      form.setAttribute("aria-busy", "true");
    });
    // Ready to send again when the page comes back by the browser's Back button, or when a send was stopped (the
    // browser's Stop, a lost connection) and the page is still here after a while: the server stores a form once
    // however often it comes, so pressing again then is safe.
    const ready = () => {
      sent = false;
      form.removeAttribute("aria-busy");
      [...form.elements].filter((element) => element.type === "submit").forEach((button) => {
        button.removeAttribute("aria-disabled");
        if (button.getAttribute("aria-busy") !== "true") return;
        button.removeAttribute("aria-busy");
        if (button.dataset.idleWords) button.textContent = button.dataset.idleWords;
      });
    };
    form.addEventListener("submit", () => window.setTimeout(() => { if (sent) ready(); }, 30000));
    window.addEventListener("pageshow", (event) => { if (event.persisted) ready(); });
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-max-length], textarea[data-max-length]").forEach(countCharacters);
    document.querySelectorAll("form").forEach(submitOnce);
  });
})();
