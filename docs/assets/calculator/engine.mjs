// The link to the Python engine (calculator.browser.handle) in one module Web Worker:
// start it, send a request, hand back its answer. One engine per page load, shared across
// instant navigations; it holds no rule and reads no form.

let shared = null;

// The calculator's markup starts the runtime's downloads once the page's largest text has
// painted (window.gcPainted, see calculator_widget.html.j2); the engine waits for that too.
// Without it (the page arrived by instant navigation, long after its first paint) it starts at once.
const painted = window.gcPainted || Promise.resolve();

// The worker's boot settings, from the calculator's data-* attributes.
export function configOf(root) {
  const url = (name) => new URL(root.getAttribute(name), window.location.href).href;
  return {
    runtime: url("data-runtime"),
    lock: url("data-lock"),
    stdlib: url("data-stdlib"),
    stdlibRest: url("data-stdlib-rest"),
    worker: url("data-worker"),
    pkg: root.dataset.package,
  };
}

function start(config) {
  const pending = new Map();
  const progress = new Set();
  let nextId = 0;
  let worker = null;
  let stopped = false;
  const ready = painted.then(
    () =>
      new Promise((resolve, reject) => {
        if (stopped) return reject(new Error("stopped"));
        worker = new Worker(config.worker, { type: "module" });
        worker.addEventListener("message", ({ data }) => {
          if (data.type === "ready") resolve(data.start);
          else if (data.type === "failed") reject(new Error(data.message));
          else if (data.type === "progress") for (const listener of progress) listener(data.received);
          else if (data.type === "answer") {
            const settle = pending.get(data.id);
            pending.delete(data.id);
            if (settle) settle(data);
          }
        });
        worker.addEventListener("error", (event) => reject(new Error(event.message || "worker failed to start")));
        worker.postMessage({ type: "boot", ...config });
      }),
  );
  ready.catch(() => {}); // reported through each page's watcher
  // One request: resolves with the engine's answer ({ok, result} or {ok: false, errors}).
  // `bytes` (a Uint8Array, such as a CSV file's content) goes beside the JSON request, as is.
  const call = async (action, input, bytes) => {
    await ready;
    const id = nextId++;
    const reply = await new Promise((resolve) => {
      pending.set(id, resolve);
      const message = { type: "call", id, request: JSON.stringify({ action, input }) };
      worker.postMessage(bytes ? { ...message, bytes } : message);
    });
    if (reply.failure) throw new Error(reply.failure);
    return JSON.parse(reply.answer);
  };
  const stop = () => {
    stopped = true;
    worker?.terminate();
  };
  return { stop, ready, call, progress, key: config.runtime + "|" + config.lock };
}

// The page's engine for these settings: the running one, or a new one (`restart`: always new).
export function engineFor(config, restart = false) {
  const key = config.runtime + "|" + config.lock;
  if (shared && (restart || shared.key !== key)) {
    shared.stop();
    shared = null;
  }
  if (!shared) shared = start(config);
  return shared;
}

// A request about an opened profile file ({key, text}): the engine kept the parsed profile under
// the key its first answer gave, so only the key goes along; an engine that no longer knows the
// key (it was restarted) answers with an error on "profile_key", and the text goes once more.
export async function callWithProfile(engine, action, input, profile) {
  if (!profile) return engine.call(action, input);
  const answer = await engine.call(action, { ...input, profile_key: profile.key });
  if (answer.ok || !answer.errors.some((error) => error.field === "profile_key")) return answer;
  return engine.call(action, { ...input, profile_text: profile.text });
}
