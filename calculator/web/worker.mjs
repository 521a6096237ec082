// Module worker that hosts the one Python runtime of the page.
// It loads Pyodide and our wheel (through the site-local lockfile) and forwards
// requests to calculator.browser.handle. No rule lives here.
//
// The worker watches its own downloads: it reports bytes received (for the page's
// progress bar) and fails fast when a runtime file does not answer 200, because
// Pyodide itself would wait forever on a missing pyodide.asm.wasm.
let handle = null;
let failBoot = null;

function fileName(url) {
  return new URL(url, self.location.href).pathname.split("/").pop();
}

function watchDownloads() {
  const plainFetch = self.fetch.bind(self);
  let received = 0;
  self.fetch = async (input, init) => {
    const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
    let response;
    try {
      response = await plainFetch(input, init);
    } catch (error) {
      failBoot?.(new Error(`${fileName(url)}: ${error.message}`));
      throw error;
    }
    if (!response.ok) {
      failBoot?.(new Error(`${fileName(url)}: HTTP ${response.status}`));
      return response;
    }
    if (!response.body) return response;
    const counter = new TransformStream({
      transform(chunk, controller) {
        received += chunk.byteLength;
        self.postMessage({ type: "progress", received });
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

async function boot({ runtime, lock, stdlib, pkg }) {
  const failed = new Promise((_, reject) => {
    failBoot = reject;
    self.addEventListener("unhandledrejection", (event) => reject(event.reason));
  });
  watchDownloads();
  const start = async () => {
    const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
    const pyodide = await loadPyodide({ indexURL: runtime, lockFileURL: lock, stdLibURL: stdlib, packages: [pkg] });
    handle = pyodide.pyimport("calculator.browser").handle;
  };
  await Promise.race([start(), failed]);
  failBoot = null;
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
