// Progressive enhancement: apply a facet as soon as its box is ticked or unticked.
// Without JavaScript the "Apply filters" button does the same. The sort list keeps its
// "Sort" button: a list that submitted on change would leave the page at the first
// arrow key, before a keyboard user could reach the option they want.
const REFOCUS_KEY = "micic:refocus";

function remember(id) {
  try {
    sessionStorage.setItem(REFOCUS_KEY, id);
  } catch {
    // Storage may be disabled; focus then starts at the top of the new page.
  }
}

function recall() {
  try {
    const id = sessionStorage.getItem(REFOCUS_KEY);
    sessionStorage.removeItem(REFOCUS_KEY);
    return id;
  } catch {
    return null;
  }
}

// The filters panel (<details>): always open on a wide screen, where it is a column beside
// the results (browsers that can style ::details-content need no script for it); opened
// by the "Skip to the filters" link on any screen.
function openFiltersWhereNeeded() {
  const panel = document.querySelector("[data-filters-panel]");
  if (!panel) return;
  const wide = window.matchMedia("(min-width: 50.01rem)");
  const supported = CSS.supports("selector(::details-content)");
  if (wide.matches && !supported) panel.open = true;
  for (const link of document.querySelectorAll('a[href="#facets-title"]')) {
    link.addEventListener("click", () => {
      panel.open = true;
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  openFiltersWhereNeeded();
  const form = document.getElementById("search-form");
  if (!form) return;
  form.classList.add("js-autosubmit");
  for (const hint of form.querySelectorAll("[data-js-hint]")) hint.hidden = false;
  // A keyboard user who ticked a box finds the focus on it again after the reload.
  const refocus = recall();
  const box = refocus && document.getElementById(refocus);
  if (box && form.contains(box)) {
    // On a phone the filters panel starts closed: open what holds the box first.
    for (let parent = box.closest("details"); parent; parent = parent.parentElement.closest("details")) {
      parent.open = true;
    }
    box.focus();
  }
  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches('input[type="checkbox"]')) {
      if (target.matches(":focus-visible")) remember(target.id);
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
