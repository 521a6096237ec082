// Module worker that hosts the one Python runtime of the page.
// It loads Pyodide and our wheel (as the site-local lockfile lists it) and forwards
// requests to calculator.browser.handle (see engine.mjs for the page's side). No rule lives here.
//
// Pyodide downloads and compiles its WebAssembly here, off the page's main thread: compiled
// on the page and handed over, the module's arrival blocked the page in many short bursts
// (`make bench` measures the page's blocking time). The worker watches its own downloads: it
// reports bytes received for the progress bar (a few times a second, not once a chunk) and
// fails fast when a runtime file does not answer 200, because Pyodide itself would wait
// forever on a missing file.
//
// Repeat visits start from a memory snapshot: a fresh start keeps one (gzip, in Cache
// Storage, keyed by the runtime's, lockfile's and standard library's versioned URLs) once
// it has answered and then been idle for a second (making it holds the worker for a moment,
// which must not delay the answer to a value being typed), and the next start
// restores it instead of starting Python and importing the calculator again. Any failure to
// read or restore it means a fresh start. Pyodide's snapshot API is private
// (`_makeSnapshot`, `_loadSnapshot`, `makeMemorySnapshot`): the exact version pin and
// tests/e2e/test_snapshot.py watch it.
//
// Workbooks (.xlsx) need openpyxl, et_xmlfile, our calculator/workbooks.py and a few modules of
// the standard library: four wheels that the lockfile lists beside ours (scripts/pyodide/bundle.py).
// They are fetched (checked against the lockfile's hashes) and unpacked only when a request says it
// needs them (`workbook: true`), never at start; a worker that has loaded them keeps no snapshot,
// because a restored start would hold their modules without their files.
const SNAPSHOTS = "gc-python-snapshot"; // holds the newest build's snapshot only
const SNAPSHOT_AFTER_IDLE_MS = 1000;
const PROGRESS_EVERY_MS = 100;
let handle = null;
let failBoot = null;
let keepSnapshot = null; // set by a fresh start that can keep a snapshot, until it has
let idleTimer = 0;
let runtime = null; // { pyodide, lock, pkg, packages } once started
let workbookWheels = null; // a promise, once a request needed them
// The page's "go" (its load event): the downloads start at once, but Python's start-up (the
// wasm's compile, the interpreter's start, the import), which takes a core for about half a
// second, waits until the page has loaded, so that it never slows the page's own scripts (on a
// phone's two cores it did: the page's blocking time grew). A boot without `waitForPage`
// starts at once (the page had loaded already). A page whose load event never comes (a file
// of it that never finishes) still gets its calculator: Python starts after PAGE_LOAD_WAIT_MS.
const PAGE_LOAD_WAIT_MS = 3000;
let pageLoaded = null;
const pageLoad = new Promise((resolve) => {
  pageLoaded = resolve;
});

function fileName(url) {
  return new URL(url, self.location.href).pathname.split("/").pop();
}

// Wraps fetch so that every download is counted and checked; returns `early(url)`, which
// starts a download now and hands its response to the first request for that URL, and returns
// a promise that settles once its last byte is in.
function watchDownloads() {
  const plainFetch = self.fetch.bind(self);
  const started = new Map(); // URL -> response promise, until something asks for it
  let received = 0;
  let reported = 0;
  const report = (now) => {
    if (!now && performance.now() - reported < PROGRESS_EVERY_MS) return;
    reported = performance.now();
    self.postMessage({ type: "progress", received });
  };
  const watched = async (input, init, onBody = null) => {
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
    // A wasm file with another type fails to compile in a way Pyodide never reports (the page
    // would wait forever): fail at once, with a code the page turns into advice for the host.
    const type = response.headers.get("content-type") || "";
    if (fileName(url).endsWith(".wasm") && !type.toLowerCase().startsWith("application/wasm")) {
      const error = new Error(`${fileName(url)}: Content-Type ${type || "(none)"}`);
      error.code = "wasm_type";
      failBoot?.(error);
      return response;
    }
    // Count the bytes on a copy, so Pyodide gets the real response.
    if (response.body) {
      const reader = response.clone().body.getReader();
      const counted = (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return report(true);
          received += value.byteLength;
          report(false);
        }
      })();
      counted.catch(() => {});
      onBody?.(counted);
    }
    return response;
  };
  self.fetch = (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url, self.location.href).href;
    const early = started.get(url);
    if (!early) return watched(input, init);
    started.delete(url);
    return early;
  };
  return (url) => {
    let counted = null;
    const response = watched(url, undefined, (reading) => {
      counted = reading;
    });
    started.set(new URL(url, self.location.href).href, response);
    // A failure is reported through failBoot; here it only means "no more bytes to wait for".
    return response.then(() => counted).catch(() => {});
  };
}

function snapshotKey({ runtime, lock, stdlib, stdlibRest }) {
  const versions = new URLSearchParams({ runtime, lock, stdlib, stdlibRest });
  return new URL(`python-snapshot?${versions}`, lock).href;
}

async function readSnapshot(key) {
  try {
    const cached = await (await caches.open(SNAPSHOTS)).match(key);
    if (!cached) return null;
    const inflated = cached.body.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(inflated).arrayBuffer());
  } catch {
    return null; // no Cache Storage (an insecure origin), or a damaged entry
  }
}

async function writeSnapshot(key, bytes) {
  const deflated = await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).blob();
  const cache = await caches.open(SNAPSHOTS);
  await cache.put(key, new Response(deflated));
  for (const request of await cache.keys()) if (request.url !== key) await cache.delete(request);
}

function forgetSnapshot(key) {
  return caches
    .open(SNAPSHOTS)
    .then((cache) => cache.delete(key))
    .catch(() => {});
}

// The lockfile, read once (Pyodide gets the same text), and the wheel it lists, checked against
// the lockfile's hash. The lockfile starts at once; the wheel once the wasm is in (`after`):
// Python needs the wheel only after its own start, which takes longer than the wheel's
// download, so the wheel does not share the line with the wasm and the standard library.
// `wheel` resolves with the wheel's bytes, `packages` with the lockfile's entries (the workbook
// wheels are found there later).
function fetchPackage({ lock, pkg }, after) {
  const lockText = fetch(lock).then((response) => response.text());
  const packages = lockText.then((text) => JSON.parse(text).packages);
  const wheel = Promise.all([packages, after]).then(([entries]) => fetchWheel(lock, entries, pkg));
  return { lockText, packages, wheel };
}

// A wheel as the lockfile lists it, checked against the lockfile's hash.
async function fetchWheel(lock, packages, name) {
  const entry = packages[name];
  const digest = entry.sha256.match(/../g).map((hex) => String.fromCharCode(parseInt(hex, 16)));
  const response = await fetch(new URL(entry.file_name, lock), { integrity: `sha256-${btoa(digest.join(""))}` });
  if (!response.ok) throw new Error(`${entry.file_name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// A wheel's bytes unpacked into site-packages. Files live outside the memory snapshot, so a
// restored start needs them too.
async function installWheel(pyodide, wheel) {
  const sitePackages = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('site-packages'))");
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
}

// When each step of the start-up happened (ms since 1970, as the page converts it): the page
// marks them in its performance timeline (`gc-compiled`, …), where `make bench` reads them.
function phase(name) {
  self.postMessage({ type: "phase", name, at: performance.timeOrigin + performance.now() });
}

// Pyodide compiles the wasm while it streams in (instantiateStreaming); note when that is done.
function watchCompile() {
  const instantiate = WebAssembly.instantiateStreaming;
  if (!instantiate) return;
  WebAssembly.instantiateStreaming = (...args) =>
    instantiate.apply(WebAssembly, args).then((result) => {
      phase("compiled");
      return result;
    });
}

async function installPackage(pyodide, { lock, pkg }, { wheel, packages }) {
  await installWheel(pyodide, wheel);
  runtime = { pyodide, lock, pkg, packages };
}

// Every other package of the lockfile (openpyxl, et_xmlfile, calculator/workbooks.py and the
// standard-library modules they need), once, for workbook requests.
function workbookSupport() {
  if (!workbookWheels) {
    keepSnapshot = null;
    clearTimeout(idleTimer);
    const { pyodide, lock, pkg, packages: listed } = runtime;
    workbookWheels = (async () => {
      const packages = await listed; // the lockfile as read at start, not fetched again
      // All at once: four small downloads, each checked against its hash, then unpacked.
      await Promise.all(
        Object.keys(packages)
          .filter((name) => name !== pkg)
          .map((name) => installWheel(pyodide, fetchWheel(lock, packages, name))),
      );
      pyodide.runPython("import importlib; importlib.invalidate_caches()");
    })();
    workbookWheels.catch(() => {
      workbookWheels = null; // a later request tries again
    });
  }
  return workbookWheels;
}

async function boot(config) {
  const { runtime, lock, stdlib, stdlibRest } = config;
  phase("worker");
  const failed = new Promise((_, reject) => {
    failBoot = reject;
    self.addEventListener("unhandledrejection", (event) => reject(event.reason));
  });
  const early = watchDownloads();
  watchCompile();
  // Every file starts now, in parallel (the page preloads none of them: their bytes would pass
  // through its main thread). Pyodide's own requests take these downloads over, and its
  // import of pyodide.asm.mjs finds the module already loading. The lockfile goes once, and
  // the wheel follows the wasm (fetchPackage).
  const wasm = early(new URL("pyodide.asm.wasm", runtime).href);
  early(stdlib);
  import(new URL("pyodide.asm.mjs", runtime).href).catch(() => {}); // a failure shows in loadPyodide
  const fetched = fetchPackage(config, wasm);
  const key = snapshotKey(config);
  const saved = "caches" in self ? readSnapshot(key) : Promise.resolve(null);
  if (config.waitForPage) setTimeout(pageLoaded, PAGE_LOAD_WAIT_MS);
  else pageLoaded();
  const start = async () => {
    const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
    await pageLoad;
    phase("go");
    // The standard library holds what start-up and the calculator import, precompiled; its
    // sitecustomize fetches the rest from GC_STDLIB_REST only if something imports from it.
    const options = {
      indexURL: runtime,
      lockFileContents: fetched.lockText,
      packageBaseUrl: new URL(".", lock).href,
      stdLibURL: stdlib,
      env: { GC_STDLIB_REST: stdlibRest },
    };
    const snapshot = await saved;
    let pyodide = null;
    if (snapshot) {
      try {
        pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
        phase("python");
        await installPackage(pyodide, config, fetched);
        handle = pyodide.pyimport("calculator.browser").handle;
        return "snapshot";
      } catch {
        await forgetSnapshot(key);
      }
    }
    pyodide = await loadPyodide({ ...options, _makeSnapshot: "caches" in self });
    phase("python");
    await installPackage(pyodide, config, fetched);
    handle = pyodide.pyimport("calculator.browser").handle;
    if ("caches" in self) {
      keepSnapshot = () => {
        try {
          // Fails if Python holds a JavaScript object (the standard library's fallback does).
          writeSnapshot(key, pyodide.makeMemorySnapshot()).catch(() => {});
        } catch {
          // no snapshot: the next visit starts fresh, as this one did
        }
      };
    }
    return "fresh";
  };
  const how = await Promise.race([start(), failed]);
  failBoot = null;
  phase("imported");
  return how;
}

// Keep the snapshot once no request has come for a while (each request puts it off).
function keepSnapshotWhenIdle() {
  if (!keepSnapshot) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    const keep = keepSnapshot;
    keepSnapshot = null;
    keep?.();
  }, SNAPSHOT_AFTER_IDLE_MS);
}

self.onmessage = async ({ data }) => {
  if (data.type === "go") {
    pageLoaded();
    return;
  }
  if (data.type === "boot") {
    try {
      const how = await boot(data);
      self.postMessage({ type: "ready", start: how });
    } catch (error) {
      const message = String(error && error.message ? error.message : error);
      self.postMessage({ type: "failed", code: error?.code || "failed", message });
    }
  } else if (data.type === "call") {
    if (data.workbook) {
      try {
        await workbookSupport();
      } catch (error) {
        // Not fatal: the engine still works; the page says the workbook support did not load.
        const detail = String(error && error.message ? error.message : error);
        const errors = [{ field: data.field || null, code: "workbook_failed", zh: detail, en: detail }];
        self.postMessage({ type: "answer", id: data.id, answer: JSON.stringify({ ok: false, errors }) });
        return;
      }
    }
    try {
      // A file's bytes (a Uint8Array) reach Python as they are; it decodes them itself.
      self.postMessage({ type: "answer", id: data.id, answer: handle(data.request, data.bytes) });
    } catch (error) {
      self.postMessage({ type: "answer", id: data.id, failure: String(error) });
    }
  }
  keepSnapshotWhenIdle();
};
