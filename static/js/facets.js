// Progressive enhancement: apply a facet or sort as soon as it changes.
// Without JavaScript the "Apply filters" and "Sort" buttons do the same.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("search-form");
  if (!form) return;
  form.classList.add("js-autosubmit");
  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches('input[type="checkbox"], select')) {
      form.requestSubmit();
    }
  });
  // Drop empty fields so shared URLs stay short.
  form.addEventListener("submit", () => {
    for (const field of form.querySelectorAll("input, select")) {
      if (!field.value && field.name) field.disabled = true;
    }
  });
});
// Coming back with the browser's Back button must not leave fields disabled.
window.addEventListener("pageshow", () => {
  for (const field of document.querySelectorAll("#search-form [disabled]")) field.disabled = false;
});
