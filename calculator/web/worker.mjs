// Module worker that hosts the one Python runtime of the page.
// It loads Pyodide and our wheel (through the site-local lockfile) and forwards
// requests to calculator.browser.handle. No rule lives here.
//
// The WebAssembly module arrives compiled from the page (message "wasm"): browsers keep
// compiled code for the next visit only for modules compiled on the page, so a repeat
// visit skips the compile. The worker watches its own downloads too: it reports bytes
// received (for the progress bar) and fails fast when a runtime file does not answer
// 200, because Pyodide itself would wait forever on a missing file.
let handle = null;
let failBoot = null;
let resolveWasm = null;
const wasmModule = new Promise((resolve) => {
  resolveWasm = resolve;
});

function fileName(url) {
  return new URL(url, self.location.href).pathname.split("/").pop();
}

function watchDownloads() {
  const plainFetch = self.fetch.bind(self);
  let received = 0;
  self.fetch = async (input, init) => {
    const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
    if (url.endsWith(".wasm")) {
      // compiled by the page; Pyodide's own download is not needed
      return new Response(new Uint8Array(0), { headers: { "Content-Type": "application/wasm" } });
    }
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
    // Count the bytes on a copy, so Pyodide gets the real response.
    if (response.body) {
      const reader = response.clone().body.getReader();
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          received += value.byteLength;
          self.postMessage({ type: "progress", received });
        }
      })().catch(() => {});
    }
    return response;
  };
  WebAssembly.instantiateStreaming = async (_source, imports) => {
    const module = await wasmModule;
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
}

async function boot({ runtime, lock, stdlib, stdlibRest, pkg }) {
  const failed = new Promise((_, reject) => {
    failBoot = reject;
    self.addEventListener("unhandledrejection", (event) => reject(event.reason));
  });
  watchDownloads();
  const start = async () => {
    const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
    // The standard library holds what start-up and the calculator import, precompiled; its
    // sitecustomize fetches the rest from GC_STDLIB_REST only if something imports from it.
    const pyodide = await loadPyodide({
      indexURL: runtime,
      lockFileURL: lock,
      stdLibURL: stdlib,
      packages: [pkg],
      env: { GC_STDLIB_REST: stdlibRest },
    });
    handle = pyodide.pyimport("calculator.browser").handle;
  };
  await Promise.race([start(), failed]);
  failBoot = null;
}

self.onmessage = async ({ data }) => {
  if (data.type === "wasm") {
    if (data.module) resolveWasm(data.module);
    else failBoot?.(new Error(data.message));
  } else if (data.type === "boot") {
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
