// Browser glue for the grade calculator: moves values between the form and the Python
// engine (calculator.browser.handle) running in one module Web Worker. It writes
// results with textContent (charts: SVG parsed as XML, never as HTML) and holds no
// grading rule: what a field means, every message and every figure come from Python.
//
// DOM contract: [data-calculator] with data-state = loading | ready | error (and, once
// ready, data-runtime-start = fresh | snapshot);
// input[name=score]; [data-result] with data-level (a level code or ""), data-score,
// and aria-busy="true" while an answer for the current input is pending.

let engine = null; // one runtime per page load, shared across instant navigations

// The calculator's markup starts the runtime's downloads once the page's largest text has
// painted (window.gcPainted, see calculator_widget.html.j2); the engine waits for that too.
// Without it (the page arrived by instant navigation, long after its first paint) it starts at once.
const painted = window.gcPainted || Promise.resolve();

function startEngine(config) {
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
  ready.catch(() => {}); // reported through each mount's state handler
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
  const stop = () => {
    stopped = true;
    worker?.terminate();
  };
  return { stop, ready, call, progress, key: config.runtime + "|" + config.lock };
}

function getEngine(config, restart = false) {
  const key = config.runtime + "|" + config.lock;
  if (engine && (restart || engine.key !== key)) {
    engine.stop();
    engine = null;
  }
  if (!engine) engine = startEngine(config);
  return engine;
}

const lang = () => ((document.documentElement.lang || "zh").toLowerCase().startsWith("en") ? "en" : "zh");
const text = (message) => (message ? message[lang()] || message.zh || "" : "");

function configOf(root) {
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

// After the runtime is ready (so it never competes for bandwidth), let the service worker
// keep a copy of it for repeat and offline visits.
function keepOffline(root) {
  const sw = root.getAttribute("data-sw");
  if (!sw || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(new URL(sw, window.location.href)).catch(() => {
    // no service worker (private mode, an old browser): the calculator still works online
  });
}

// The form's values as plain data: text as typed, checkboxes as booleans. Controls in
// disabled panels (other modes) and file pickers are left out.
function formState(form) {
  const state = {};
  for (const control of form.elements) {
    if (!control.name || control.disabled || control.type === "file") continue;
    if (control.type === "radio") {
      if (control.checked) state[control.name] = control.value;
    } else if (control.type === "checkbox") state[control.name] = control.checked;
    else state[control.name] = control.value;
  }
  return state;
}

function stateToQuery(state) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(state)) {
    if (value === true) query.set(name, "1");
    else if (typeof value === "string" && value.trim() !== "" && !(name === "mode" && value === "quick")) {
      query.set(name, value);
    }
  }
  return query;
}

function applyQuery(form, query) {
  const mode = query.get("mode");
  if (mode) for (const radio of form.querySelectorAll('input[name="mode"]')) radio.checked = radio.value === mode;
  const profile = query.get("profile");
  if (profile && form.elements.namedItem("profile")) form.elements.namedItem("profile").value = profile;
  for (const control of form.elements) {
    if (!control.name || control.type === "file" || control.name === "mode" || control.name === "profile") continue;
    if (!query.has(control.name)) continue;
    if (control.type === "checkbox") control.checked = ["1", "true", "on"].includes(query.get(control.name));
    else control.value = query.get(control.name);
  }
}

function download(name, type, content) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([content], { type }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function svgNode(markup) {
  const parsed = new DOMParser().parseFromString(markup, "image/svg+xml");
  const svg = parsed.documentElement;
  return svg && svg.nodeName === "svg" ? document.importNode(svg, true) : null;
}

function mount(root) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "true";
  const form = root.querySelector("form");
  const $ = (selector) => root.querySelector(selector);
  const status = $("[data-status]");
  const result = $("[data-result]");
  const batchResult = $("[data-batch-result]");
  const retry = $("[data-retry]");
  const progressBar = $("[data-progress]");
  const progressText = $("[data-progress-text]");
  const actionStatus = $("[data-action-status]");
  const config = configOf(root);
  let current = getEngine(config);
  let timer = 0; // non-zero while a typed value waits for its recompute
  let seq = 0;
  let customProfile = null; // an opened profile file: {key, text} (kept in memory, not in the URL)
  let lastAnswer = null;
  let batchCsv = "";

  const mode = () => formState(form).mode || "quick";

  const showPanels = () => {
    const active = mode();
    for (const panel of root.querySelectorAll("[data-panel]")) {
      const on = panel.dataset.panel === active;
      panel.hidden = !on;
      panel.disabled = !on;
    }
    const select = form.elements.namedItem("profile");
    const profile = select ? select.value : "";
    for (const block of root.querySelectorAll("[data-indicators-for]")) {
      const on = block.dataset.indicatorsFor === profile;
      block.hidden = !on;
      for (const control of block.querySelectorAll("input")) control.disabled = !on;
    }
    $("[data-custom-profile]").hidden = profile !== "custom";
    const shared = $("[data-shared]"); // special items come from the CSV's own columns in batch mode
    shared.hidden = active === "batch";
    shared.disabled = active === "batch";
    result.hidden = active === "batch";
    batchResult.hidden = active !== "batch" || !batchCsv;
  };

  const fieldError = (name) => root.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
  const clearErrors = () => {
    for (const box of root.querySelectorAll("[data-error-for]")) box.textContent = "";
    for (const control of form.querySelectorAll("[aria-invalid]")) control.setAttribute("aria-invalid", "false");
  };
  const showErrors = (errors) => {
    const general = [];
    for (const error of errors) {
      const box = error.field ? fieldError(error.field) : null;
      if (!box) {
        general.push(text(error));
        continue;
      }
      box.textContent = text(error);
      const control = [...form.elements].find((c) => c.name === error.field && !c.disabled);
      if (control) control.setAttribute("aria-invalid", "true");
    }
    return general;
  };

  const fill = (name, value) => {
    const node = result.querySelector(`[data-field="${name}"]`);
    if (node) node.textContent = value || "";
  };
  const fillList = (container, items) => {
    const list = container.querySelector("[data-list]") || container;
    list.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement("li");
        li.textContent = typeof item === "string" ? item : text(item);
        return li;
      }),
    );
    if (container.dataset.block) container.hidden = items.length === 0;
  };
  const clearResult = () => {
    result.dataset.level = "";
    result.dataset.score = "";
    for (const node of result.querySelectorAll("[data-field]")) node.textContent = "";
    for (const block of result.querySelectorAll("[data-block]")) fillList(block, []);
    $("[data-charts]").replaceChildren();
  };
  const settled = () => result.setAttribute("aria-busy", "false");

  const render = (view) => {
    result.dataset.level = view.level;
    result.dataset.score = view.score;
    fill("level", text(view.level_name));
    fill("stars", view.stars > 0 ? "★".repeat(view.stars) : "");
    fill("summary", text(view.summary));
    fill("detail", text(view.detail));
    fillList(result.querySelector('[data-block="reasons"]'), view.reasons || []);
    fillList(result.querySelector('[data-block="recover"]'), view.recover || []);
    const charts = (view.charts || []).map((chart) => {
      const figure = document.createElement("figure");
      const svg = svgNode(chart.svg);
      if (svg) figure.append(svg);
      const caption = document.createElement("figcaption");
      caption.textContent = chart.alt;
      figure.append(caption);
      return figure;
    });
    $("[data-charts]").replaceChildren(...charts);
  };

  const recompute = async () => {
    const mine = ++seq;
    result.setAttribute("aria-busy", "true");
    const state = formState(form);
    if (state.mode === "batch") {
      settled();
      return;
    }
    let answer;
    try {
      const input = { state, lang: lang(), profile_key: state.profile === "custom" ? customProfile?.key : null };
      answer = await current.call("form", input);
      // A restarted engine no longer knows the profile: send its text once more.
      if (!answer.ok && answer.errors.some((error) => error.field === "profile_key")) {
        answer = await current.call("form", { ...input, profile_text: customProfile.text });
      }
    } catch (error) {
      return; // the engine's failure is shown by the state handler
    }
    if (mine !== seq || timer) return; // a newer value was typed meanwhile: its answer settles
    settled();
    clearErrors();
    lastAnswer = { inputs: state, errors: answer.ok ? [] : answer.errors };
    if (!answer.ok) {
      clearResult();
      fill("summary", showErrors(answer.errors).join(" "));
      return;
    }
    const outcome = answer.result;
    if (!outcome.result) {
      clearResult();
      fill("summary", text(outcome.prompt));
      return;
    }
    const { charts, ...plain } = outcome.result;
    lastAnswer.result = plain;
    render(outcome.result);
  };

  const schedule = () => {
    result.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = 0;
      recompute();
    }, 150);
  };

  const syncUrl = () => {
    const query = stateToQuery(formState(form)).toString();
    const url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  };

  const runBatch = async (csvText) => {
    clearErrors();
    const answer = await current.call("batch", { csv: csvText, lang: lang() });
    if (!answer.ok) {
      showErrors(answer.errors);
      batchCsv = "";
      showPanels();
      return;
    }
    const view = answer.result;
    batchCsv = view.csv;
    batchResult.querySelector('[data-field="batch_summary"]').textContent = text(view.summary);
    fillList(batchResult.querySelector('[data-list="batch_errors"]'), view.errors || []);
    batchResult.querySelector("[data-batch-rows]").replaceChildren(
      ...view.rows.map((row) => {
        const tr = document.createElement("tr");
        tr.dataset.level = row.level || "";
        for (const cell of [row.id, row.score, text(row.level_name), row.points_to_next]) {
          const td = document.createElement("td");
          td.textContent = cell ?? "—";
          tr.append(td);
        }
        return tr;
      }),
    );
    showPanels();
  };

  const watch = () => {
    root.dataset.state = "loading";
    status.textContent = status.dataset.loadingText;
    retry.hidden = true;
    const total = Number(progressBar.max) || 1;
    const onProgress = (bytes) => {
      const received = Math.min(bytes, total);
      progressBar.value = received;
      progressText.textContent = `${Math.round((received / total) * 100)}%`;
    };
    current.progress.add(onProgress);
    current.ready.then(
      (start) => {
        current.progress.delete(onProgress);
        if (!root.isConnected) return;
        root.dataset.runtimeStart = start; // "fresh", or "snapshot" on a repeat visit
        root.dataset.state = "ready";
        status.textContent = status.dataset.readyText;
        recompute();
        keepOffline(root);
      },
      (error) => {
        current.progress.delete(onProgress);
        if (!root.isConnected) return;
        root.dataset.state = "error";
        status.textContent = `${status.dataset.errorText}：${error.message}`;
        retry.hidden = false;
        settled();
      },
    );
  };

  applyQuery(form, new URLSearchParams(window.location.search));
  showPanels();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    recompute();
  });
  form.addEventListener("input", (event) => {
    if (event.target.type === "file") return;
    syncUrl();
    schedule();
  });
  form.addEventListener("change", (event) => {
    if (event.target.type === "file") return;
    showPanels();
    syncUrl();
    schedule();
  });
  $("[data-profile-file]").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const profileText = await file.text();
    customProfile = null;
    const answer = await current.call("profile", { profile_text: profileText, lang: lang() });
    clearErrors();
    const block = root.querySelector('[data-indicators-for="custom"]');
    block.replaceChildren();
    if (!answer.ok) {
      showErrors(answer.errors);
      return;
    }
    customProfile = { key: answer.result.key, text: profileText };
    const template = root.querySelector("template[data-indicator-row]");
    for (const item of answer.result.fields) {
      const row = template.content.firstElementChild.cloneNode(true);
      const [label, check] = row.querySelectorAll("label");
      const input = row.querySelector('input[type="text"]');
      const box = row.querySelector('input[type="checkbox"]');
      const error = row.querySelector(".gc-error");
      input.id = `gc-custom-${item.id}`;
      input.name = item.id;
      label.htmlFor = input.id;
      label.textContent = item.label;
      box.name = item.na;
      error.id = `gc-custom-${item.id}-error`;
      error.dataset.errorFor = item.id;
      input.setAttribute("aria-describedby", error.id);
      check.lastChild.textContent = ` ${item.na_label}`;
      block.append(row);
    }
    showPanels();
    schedule();
  });
  $("[data-batch-file]").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (file) await runBatch(await file.text());
  });
  $("[data-download-batch]").addEventListener("click", () => download("batch-results.csv", "text/csv", batchCsv));
  $("[data-copy-link]").addEventListener("click", async () => {
    syncUrl();
    try {
      await navigator.clipboard.writeText(window.location.href);
      actionStatus.textContent = actionStatus.dataset.copied || "";
    } catch {
      actionStatus.textContent = window.location.href;
    }
  });
  $("[data-print]").addEventListener("click", () => window.print());
  $("[data-download-json]").addEventListener("click", () =>
    download("self-assessment.json", "application/json", JSON.stringify(lastAnswer || { inputs: formState(form) }, null, 2)),
  );
  retry.addEventListener("click", () => {
    current = getEngine(config, true);
    watch();
  });
  watch();
}

function init() {
  for (const root of document.querySelectorAll("[data-calculator]")) mount(root);
}

if (window.document$) window.document$.subscribe(init);
else init();
