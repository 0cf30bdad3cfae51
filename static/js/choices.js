// Progressive enhancement of long checkbox lists (countries by region): a box that shows
// only the choices whose name contains what is typed, and a line that lists what is
// ticked. Ticking adds to the choice, typing never unticks anything. Without JavaScript
// the regions open and close by themselves (<details>) and every box works the same.
"use strict";

function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
}

function enhance(list, index) {
  const data = list.dataset;
  const groups = [...list.querySelectorAll("[data-choice-group]")];
  const items = [...list.querySelectorAll("[data-choice]")];
  const wasOpen = new Map(groups.map((group) => [group, group.open]));

  const box = document.createElement("div");
  box.className = "choice-filter";
  const id = `${list.id || "choices"}-filter-${index}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = data.filterLabel;
  const input = document.createElement("input");
  input.type = "search";
  input.id = id;
  input.autocomplete = "off";
  input.setAttribute("aria-describedby", `${id}-status`);
  const status = document.createElement("p");
  status.id = `${id}-status`;
  status.className = "hint";
  status.setAttribute("aria-live", "polite");
  const chosen = document.createElement("p");
  chosen.className = "choice-chosen";
  chosen.setAttribute("aria-live", "polite");
  box.append(label, input, status);
  list.before(box);
  list.after(chosen);

  function showChosen() {
    const names = items
      .filter((item) => item.querySelector("input").checked)
      .map((item) => item.textContent.trim());
    chosen.textContent = names.length ? `${data.chosenLabel} ${names.join(", ")}` : data.chosenNone;
  }

  function filter() {
    const query = fold(input.value);
    let shown = 0;
    for (const item of items) {
      const match = !query || fold(item.textContent).includes(query);
      item.hidden = !match;
      if (match) shown += 1;
    }
    for (const group of groups) {
      const any = group.querySelector("[data-choice]:not([hidden])");
      group.hidden = !any;
      group.open = query ? Boolean(any) : wasOpen.get(group) || Boolean(group.querySelector("input:checked"));
    }
    if (!query) status.textContent = "";
    else status.textContent = shown ? data.filterCount.replace("{count}", shown) : data.filterNone;
  }

  input.addEventListener("input", filter);
  // Enter in the filter box must not send the whole form.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  list.addEventListener("change", showChosen);
  for (const group of groups) group.addEventListener("toggle", () => {
    if (!input.value) wasOpen.set(group, group.open);
  });
  showChosen();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-choice-filter]").forEach(enhance);
});
