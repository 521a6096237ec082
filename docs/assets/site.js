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

// The language switcher changes <html lang>, which Material's instant navigation keeps from
// the previous page: switch languages with a full page load, so the page (and the
// calculator's messages) follow the new language at once.
document.addEventListener(
  "click",
  (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[hreflang]") : null;
    if (!link || link.hreflang === document.documentElement.lang) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    window.location.assign(link.href);
  },
  true,
);
