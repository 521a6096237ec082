// Watchdogs for the engine: start-up that stops making progress, and requests that are never
// answered. Each failure is an Error with a `code` the page turns into a message from Python
// (calculator.browser.page_limits): "stalled", "wasm_type", "stopped" or "no_answer".

export function failure(code, detail = "") {
  const error = new Error(detail || code);
  error.code = code;
  return error;
}

// Calls `onStall` once `seconds` pass without a `poke()`; `stop()` ends the watch.
export function stallWatch(seconds, onStall) {
  let timer = 0;
  const poke = () => {
    clearTimeout(timer);
    timer = setTimeout(onStall, seconds * 1000);
  };
  const stop = () => clearTimeout(timer);
  poke();
  return { poke, stop };
}

// `promise`, or a rejection with failure("no_answer") once `seconds` pass without its settling.
export function answerWithin(promise, seconds) {
  let timer = 0;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(failure("no_answer")), seconds * 1000);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
