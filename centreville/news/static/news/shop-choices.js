// The shops of the subscription and preferences forms: a filter by name over the trades' groups (the form
// works without it: each trade opens on its own), and « Toutes les boutiques » kept in step with the boxes.
(() => {
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();

  for (const root of document.querySelectorAll("[data-shop-choices]")) {
    const filter = root.querySelector("[data-shop-filter]");
    const all = root.querySelector("[data-all-shops]");
    const groups = [...root.querySelectorAll(".shop-group")];
    const boxes = groups.flatMap((group) => [...group.querySelectorAll("input[type=checkbox]")]);
    if (!filter || !all) {
      continue;
    }
    const input = filter.querySelector("input");
    const status = filter.querySelector("[role=status]");
    const openAtFirst = new Map(groups.map((group) => [group, group.open]));
    filter.hidden = false;

    input.addEventListener("input", () => {
      const query = fold(input.value);
      let found = 0;
      for (const group of groups) {
        let shown = 0;
        for (const choice of group.querySelectorAll(".shop-choice")) {
          const match = !query || fold(choice.textContent).includes(query);
          choice.hidden = !match;
          shown += match ? 1 : 0;
        }
        group.hidden = shown === 0;
        group.open = query ? shown > 0 : openAtFirst.get(group) || group.querySelector("input:checked") !== null;
        found += shown;
      }
      status.textContent = !query ? "" : found ? `${status.dataset.some} ${found}` : status.dataset.none;
    });
    // Enter in the filter filters; it does not send the form.
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });

    all.addEventListener("change", () => {
      for (const box of boxes) {
        box.checked = all.checked;
      }
    });
    for (const box of boxes) {
      box.addEventListener("change", () => {
        if (!box.checked) {
          all.checked = false;
        }
      });
    }
  }
})();
