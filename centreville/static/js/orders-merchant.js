// After htmx swaps the day's orders, the focus goes where the server pointed (the card's message, or the
// field to correct) instead of falling back to the page (RGAA 7.3).
document.addEventListener("htmx:afterSettle", () => {
  const target = document.querySelector("[data-focus-after-swap]");
  if (target) {
    target.focus();
  }
});
