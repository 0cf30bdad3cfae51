// Progressive enhancement: apply a facet as soon as its box is ticked or unticked.
// Without JavaScript the "Apply filters" button does the same. The sort list keeps its
// "Sort" button: a list that submitted on change would leave the page at the first
// arrow key, before a keyboard user could reach the option they want.
const REFOCUS_KEY = "micic:refocus";

// A box is remembered by its name and value (the facet form gives its boxes no ids).
function remember(box) {
  try {
    sessionStorage.setItem(REFOCUS_KEY, JSON.stringify([box.name, box.value]));
  } catch {
    // Storage may be disabled; focus then starts at the top of the new page.
  }
}

function recall(form) {
  try {
    const saved = sessionStorage.getItem(REFOCUS_KEY);
    sessionStorage.removeItem(REFOCUS_KEY);
    if (!saved) return null;
    const [name, value] = JSON.parse(saved);
    return form.querySelector(
      `input[type="checkbox"][name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`,
    );
  } catch {
    return null;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("search-form");
  if (!form) return;
  form.classList.add("js-autosubmit");
  for (const hint of form.querySelectorAll("[data-js-hint]")) hint.hidden = false;
  // A keyboard user who ticked a box finds the focus on it again after the reload.
  const box = recall(form);
  if (box) box.focus();
  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches('input[type="checkbox"]')) {
      if (target.matches(":focus-visible")) remember(target);
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
