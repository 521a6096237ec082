// Module worker that hosts the one Python runtime of the page.
// It loads Pyodide and our wheel (through the site-local lockfile) and forwards
// requests to calculator.browser.handle. No rule lives here.
let handle = null;

async function boot({ runtime, lock, pkg }) {
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
  const pyodide = await loadPyodide({ indexURL: runtime, lockFileURL: lock, packages: [pkg] });
  handle = pyodide.pyimport("calculator.browser").handle;
}

self.onmessage = async ({ data }) => {
  if (data.type === "boot") {
    try {
      await boot(data);
      self.postMessage({ type: "ready" });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error && error.message ? error.message : error) });
    }
  } else if (data.type === "call") {
    try {
      self.postMessage({ type: "answer", id: data.id, answer: handle(data.request) });
    } catch (error) {
      self.postMessage({ type: "answer", id: data.id, failure: String(error) });
    }
  }
};
