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
    files: ["scripts/**/*.mjs"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
  {
    // Node scripts of the tests that drive a browser: their callbacks run in the page.
    files: ["tests/**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node, ...globals.browser } },
  },
];
