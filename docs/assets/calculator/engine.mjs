// The link to the Python engine (calculator.browser.handle) in one module Web Worker:
// start it, send a request, hand back its answer. One engine per page load, shared across
// instant navigations; it holds no rule and reads no form.
//
// Every way the engine can fail ends in a rejection with a code (watchdog.mjs): start-up that
// makes no progress for a while ("stalled"), a wasm file served with the wrong type
// ("wasm_type"), a worker that dies or hits a fatal error ("stopped"), a request left
// unanswered ("no_answer"). After start-up, `failed` resolves with that error, once.

import { answerWithin, failure, stallWatch } from "./watchdog.mjs";

let shared = null;

// The calculator page's head starts the worker before anything else loads (window.gcStartedWorker,
// see scripts/site/templates/calculator_start.js), so the runtime downloads while the page and
// this glue arrive. The engine adopts that worker when it was started with the same settings:
// the messages it sent meanwhile are kept and handled now. A page reached by instant navigation
// has none, and the engine starts its own.
function adopt(config) {
  const started = window.gcStartedWorker;
  if (!started) return null;
  window.gcStartedWorker = null;
  const same = ["worker", "runtime", "lock", "stdlib", "stdlibRest", "pkg"].every((key) => started.boot[key] === config[key]);
  if (!same) {
    started.worker.terminate();
    return null;
  }
  return started;
}

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
    timeouts: limitsOf(root),
  };
}

// The limits and messages the page checks before sending (from calculator.browser.page_limits).
// A JSON attribute the page's template wrote from Python (`data-limits`, `data-formats`).
function jsonOf(root, name) {
  try {
    return JSON.parse(root.querySelector(`[data-${name}]`)?.getAttribute(`data-${name}`) || "{}");
  } catch {
    return {};
  }
}

export const limitsOf = (root) => jsonOf(root, "limits");

// The opening keys of a document the page exports ({format, format_version}), from calculator.formats.
export const formatOf = (root, kind) => jsonOf(root, "formats")[kind] || {};

function start(config) {
  const pending = new Map();
  const progress = new Set();
  const { stall_seconds: stallSeconds = 30, answer_seconds: answerSeconds = 20 } = config.timeouts || {};
  let nextId = 0;
  let worker = null;
  let declareFailed = null;
  const failed = new Promise((resolve) => {
    declareFailed = resolve;
  });
  // The engine is dead: every pending request fails with `error`, and so does every later one.
  let dead = null;
  const die = (error) => {
    if (dead) return;
    dead = error;
    worker?.terminate();
    for (const settle of pending.values()) settle({ failure: error });
    pending.clear();
    declareFailed(error);
  };
  const ready = new Promise((resolve, reject) => {
    const watchdog = stallWatch(stallSeconds, () => {
      reject(failure("stalled"));
      worker?.terminate();
    });
    const onMessage = (data) => {
      if (data.type === "ready") {
        watchdog.stop();
        resolve(data.start);
      } else if (data.type === "failed") {
        watchdog.stop();
        reject(failure(data.code || "failed", data.message));
      } else if (data.type === "progress") {
        watchdog.poke();
        for (const listener of progress) listener(data.received);
      } else if (data.type === "phase") {
        // For `make bench`: when the worker reached each step, on the page's own clock.
        performance.mark(`gc-${data.name}`, { startTime: Math.max(0, data.at - performance.timeOrigin) });
      } else if (data.type === "answer") {
        const settle = pending.get(data.id);
        pending.delete(data.id);
        if (settle) settle(data);
      }
    };
    const onError = (event) => {
      watchdog.stop();
      const error = failure("stopped", event.message || "worker failed");
      reject(error);
      die(error); // after start-up: the worker died (an uncaught error, a fatal one in Python)
    };
    const started = adopt(config);
    worker = started ? started.worker : new Worker(config.worker, { type: "module" });
    worker.addEventListener("message", ({ data }) => onMessage(data));
    worker.addEventListener("error", onError);
    if (started) {
      started.worker.removeEventListener("message", started.keep);
      started.worker.removeEventListener("error", started.keep);
      for (const event of started.events) {
        if (event.type === "error") onError(event);
        else onMessage(event.data);
      }
    } else {
      performance.mark("gc-worker-created");
      // As the head's worker does (worker.mjs): Python starts once the page has loaded.
      const loading = document.readyState !== "complete";
      worker.postMessage({ type: "boot", ...config, waitForPage: loading });
      if (loading) window.addEventListener("load", () => worker.postMessage({ type: "go" }), { once: true });
    }
  });
  ready.catch(() => {}); // reported through each page's watcher
  // One request: resolves with the engine's answer ({ok, result} or {ok: false, errors}); rejects
  // once the engine is dead or does not answer within `seconds`. `bytes` (a Uint8Array, such as a
  // CSV file's content) goes beside the JSON request, as is. `workbook`: the request reads or
  // writes an .xlsx, so the worker loads the workbook wheels first (once); `field` names the
  // control a failure to load them is reported on.
  const call = async (action, input, seconds = answerSeconds, bytes = undefined, { workbook = false, field = null } = {}) => {
    await ready;
    if (dead) throw dead;
    const id = nextId++;
    const answered = new Promise((resolve) => {
      pending.set(id, resolve);
      const message = { type: "call", id, request: JSON.stringify({ action, input }), ...(workbook ? { workbook, field } : {}) };
      worker.postMessage(bytes ? { ...message, bytes } : message);
    });
    let reply;
    try {
      reply = await answerWithin(answered, seconds);
    } catch (error) {
      die(error);
      throw error;
    }
    if (reply.failure) {
      const error = reply.failure instanceof Error ? reply.failure : failure("stopped", String(reply.failure));
      die(error); // Python raised past `handle`: a fatal error, the runtime is not usable
      throw error;
    }
    const answer = JSON.parse(reply.answer);
    if (answer.ok || !workbook) return answer;
    // The worker could not load the workbook support: its cause follows the page's own sentence.
    const said = config.timeouts?.messages?.workbook_failed || "";
    const named = (error) => (error.code === "workbook_failed" ? { ...error, zh: said + error.zh, en: said + error.en } : error);
    return { ...answer, errors: answer.errors.map(named) };
  };
  const stop = () => {
    worker?.terminate();
  };
  return { stop, ready, failed, call, progress, key: config.runtime + "|" + config.lock };
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
export async function callWithProfile(engine, action, input, profile, seconds) {
  if (!profile) return engine.call(action, input, seconds);
  const answer = await engine.call(action, { ...input, profile_key: profile.key }, seconds);
  if (answer.ok || !answer.errors.some((error) => error.field === "profile_key")) return answer;
  return engine.call(action, { ...input, profile_text: profile.text }, seconds);
}
