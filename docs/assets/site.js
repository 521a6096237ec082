// Site-wide accessibility fixes that the Material theme's markup lacks.
// The search overlay is a dialog without a name (axe: aria-dialog-name); give it one
// taken from the search field's own label, so it follows the page language.
function nameSearchDialog() {
  const dialog = document.querySelector(".md-search[role='dialog']");
  const input = document.querySelector(".md-search__input");
  if (dialog && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
  }
}

if (window.document$) window.document$.subscribe(nameSearchDialog);
else nameSearchDialog();
