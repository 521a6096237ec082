// ESLint's flat config: the site's browser scripts, the calculator's module worker and the
// Node scripts of the build, each with its own globals; the recommended rules, run offline
// by `make lint` (eslint is pinned in package.json).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "site/", ".cache/", ".venv/"] },
  js.configs.recommended,
  {
    files: ["docs/assets/**/*.js"],
    languageOptions: { sourceType: "script", globals: globals.browser },
  },
  {
    files: ["docs/assets/**/*.mjs"],
    ignores: ["docs/assets/calculator/worker.mjs"],
    languageOptions: { sourceType: "module", globals: globals.browser },
  },
  {
    files: ["docs/assets/calculator/worker.mjs"],
    languageOptions: { sourceType: "module", globals: globals.worker },
  },
  {
    // The calculator page's first script, inlined into its head by the build (the placeholder
    // becomes the widget's settings).
    files: ["scripts/site/templates/calculator_start.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser, __SETTINGS__: "readonly" } },
  },
  {
    files: ["scripts/**/*.mjs"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
  {
    // Node scripts of the tests that drive a browser: their callbacks run in the page.
    files: ["tests/**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node, ...globals.browser } },
  },
];
