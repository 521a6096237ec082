// Browser glue for the grade calculator: moves values between the form and the
// Python engine (calculator.browser.handle) running in one module Web Worker.
// It writes results with textContent only and holds no grading rule.
//
// DOM contract: [data-calculator] with data-state = loading | ready | error;
// input[name=score]; [data-result] with data-level (a level code or ""), data-score,
// and aria-busy="true" while an answer for the typed value is pending.

let engine = null; // one runtime per page load, shared across instant navigations

function startEngine(config) {
  const worker = new Worker(config.worker, { type: "module" });
  const pending = new Map();
  let nextId = 0;
  const ready = new Promise((resolve, reject) => {
    worker.addEventListener("message", ({ data }) => {
      if (data.type === "ready") resolve();
      else if (data.type === "failed") reject(new Error(data.message));
      else if (data.type === "answer") {
        const settle = pending.get(data.id);
        pending.delete(data.id);
        if (settle) settle(data);
      }
    });
    worker.addEventListener("error", (event) => reject(new Error(event.message || "worker failed to start")));
  });
  worker.postMessage({ type: "boot", ...config });
  const call = async (action, input) => {
    await ready;
    const id = nextId++;
    const reply = await new Promise((resolve) => {
      pending.set(id, resolve);
      worker.postMessage({ type: "call", id, request: JSON.stringify({ action, input }) });
    });
    if (reply.failure) throw new Error(reply.failure);
    return JSON.parse(reply.answer);
  };
  return { worker, ready, call, key: config.runtime + "|" + config.lock };
}

function getEngine(config) {
  const key = config.runtime + "|" + config.lock;
  if (!engine || engine.key !== key) {
    if (engine) engine.worker.terminate();
    engine = startEngine(config);
  }
  return engine;
}

function restartEngine(config) {
  if (engine) engine.worker.terminate();
  engine = null;
  return getEngine(config);
}

const lang = () => (document.documentElement.lang || "zh").toLowerCase().startsWith("en") ? "en" : "zh";
const text = (message) => (message ? message[lang()] || message.zh : "");

function configOf(root) {
  const url = (name) => new URL(root.getAttribute(name), window.location.href).href;
  return {
    runtime: url("data-runtime"),
    lock: url("data-lock"),
    stdlib: url("data-stdlib"),
    worker: url("data-worker"),
    pkg: root.dataset.package,
  };
}

// After the runtime is ready (so it never competes for bandwidth), let the service worker
// keep a copy of it for repeat and offline visits.
function keepOffline(root) {
  const sw = root.getAttribute("data-sw");
  if (!sw || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(new URL(sw, window.location.href)).catch(() => {
    // no service worker (private mode, file://): the calculator still works online
  });
}

function mount(root) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "true";
  const form = root.querySelector("form");
  const field = form.elements.namedItem("score");
  const status = root.querySelector("[data-status]");
  const result = root.querySelector("[data-result]");
  const retry = root.querySelector("[data-retry]");
  const errorBox = root.querySelector(`[data-error-for="score"]`);
  const config = configOf(root);
  let current = getEngine(config);
  let timer = 0;
  let seq = 0;

  const show = (name, value) => {
    const node = result.querySelector(`[data-field="${name}"]`);
    if (node) node.textContent = value;
  };
  const clearResult = () => {
    result.dataset.level = "";
    result.dataset.score = "";
    for (const node of result.querySelectorAll("[data-field]")) node.textContent = "";
  };
  const setError = (message) => {
    errorBox.textContent = message;
    field.setAttribute("aria-invalid", message ? "true" : "false");
  };

  const settled = () => result.setAttribute("aria-busy", "false");
  const recompute = async () => {
    const mine = ++seq;
    result.setAttribute("aria-busy", "true");
    if (field.value.trim() === "") {
      setError("");
      clearResult();
      settled();
      return;
    }
    let answer;
    try {
      answer = await current.call("grade", { score: field.value });
    } catch (error) {
      return; // the engine's failure is shown by the state handler
    }
    if (mine !== seq) return; // a newer value was typed meanwhile
    settled();
    if (!answer.ok) {
      const own = answer.errors.find((e) => e.field === "score") || answer.errors[0];
      setError(text(own));
      clearResult();
      return;
    }
    setError("");
    const r = answer.result;
    result.dataset.level = r.level;
    result.dataset.score = r.score;
    show("level", text(r.level_name));
    show("stars", r.stars > 0 ? "★".repeat(r.stars) : "");
    show("summary", text(r.summary));
  };

  const schedule = () => {
    result.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(recompute, 120);
  };

  const watch = () => {
    root.dataset.state = "loading";
    status.textContent = status.dataset.loading;
    retry.hidden = true;
    current.ready.then(
      () => {
        if (!root.isConnected) return;
        root.dataset.state = "ready";
        status.textContent = status.dataset.ready;
        recompute();
        keepOffline(root);
      },
      (error) => {
        if (!root.isConnected) return;
        root.dataset.state = "error";
        status.textContent = `${status.dataset.error} (${error.message})`;
        retry.hidden = false;
      },
    );
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    recompute();
  });
  field.addEventListener("input", schedule);
  retry.addEventListener("click", () => {
    current = restartEngine(config);
    watch();
  });
  watch();
}

function init() {
  for (const root of document.querySelectorAll("[data-calculator]")) mount(root);
}

if (window.document$) window.document$.subscribe(init);
else init();
