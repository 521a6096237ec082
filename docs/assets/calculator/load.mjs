// The only calculator script every page loads: it imports the glue (calculator.mjs and its
// modules) on a page that holds the widget, so content pages carry none of it. Material's
// instant navigation shows pages without a load: each page it shows is looked at.
//
// A glue that cannot load leaves the widget in its error state, with the reason and a retry
// (a fresh page load: browsers may keep a module that failed to load, so import() alone
// might not fetch it again).

function failed(root, error) {
  window.dispatchEvent(new Event("gc-answered")); // nothing to wait for: the search index may load
  const status = root.querySelector("[data-status]");
  const retry = root.querySelector("[data-retry]");
  root.dataset.state = "error";
  // The message for code "glue" comes from Python (calculator.browser.page_limits) like every other.
  if (status) status.textContent = (status.dataset.errorText || "") + (status.dataset.glueText || String(error));
  if (retry) {
    retry.hidden = false;
    retry.addEventListener("click", () => window.location.reload(), { once: true });
  }
}

function init() {
  const roots = document.querySelectorAll("[data-calculator]");
  if (!roots.length) return;
  import("./calculator.mjs").catch((error) => {
    for (const root of roots) if (!root.dataset.mounted) failed(root, error);
  });
}

if (window.document$) window.document$.subscribe(init);
else init();
