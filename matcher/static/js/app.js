// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary after a failed submit, so screen readers announce it.
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
  // Buttons that need a confirmation carry data-confirm (no inline handlers: the CSP forbids them).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
