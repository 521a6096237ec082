// Browser glue for the grade calculator: wires the form (form.mjs) to the Python engine in a
// module worker (engine.mjs) and writes its answers (render.mjs). It holds no grading rule:
// what a field means, every label, message and figure come from Python.
//
// DOM contract: [data-calculator] with data-state = loading | ready | error (and, once
// ready, data-runtime-start = fresh | snapshot);
// input[name=score]; [data-result] with data-level (a level code or ""), data-score,
// and aria-busy="true" while an answer for the current input is pending.

import { callWithProfile, configOf, engineFor, formatOf, limitsOf } from "./engine.mjs";
import {
  activePanel,
  applyQuery,
  formState,
  linkedValues,
  markSpecialItems,
  showPanels,
  showProfileFields,
  syncUrl,
  usesProfileFile,
} from "./form.mjs";
import { mountReadiness } from "./readiness.mjs";
import {
  clearErrors,
  download,
  downloadWorkbook,
  lang,
  localDate,
  showBatch,
  showErrors,
  showMessage,
  showCompany,
  showProgress,
  showRecord,
  showResult,
  text,
} from "./render.mjs";

const PAUSE_MS = 150; // typing pauses this long before the engine is asked
const SETTLE_MS = 700; // an answer unchanged this long (no more typing) may bring the result into view

// `run` once the browser has painted what the page just wrote (or after a quarter second, for a
// hidden tab, which paints nothing).
function afterPaint(run) {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    run();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 250);
}

// The first answer shown (or the engine failed): the page's timeline marks the moment once
// (`gc-answered`, read by make bench in every engine). Once it is painted, the theme's search
// index, held back until now so that it does not compete with the runtime's downloads, may load
// (calculator_start.js, the "gc-answered" event), and `then` runs.
const answered = (then = () => {}) => {
  if (!performance.getEntriesByName("gc-answered").length) performance.mark("gc-answered");
  afterPaint(() => {
    window.dispatchEvent(new Event("gc-answered"));
    then();
  });
};

const NUDGE_MS = 2000; // how often a waiting service worker is asked again to take over
const NUDGES = 30; // … for at most a minute

// A new build's worker asks to skip waiting when it installs, but Chromium sometimes leaves
// it waiting for over a minute with the old one idle (tests/e2e/test_service_worker_update.py saw
// it under load); asking again activates it at once. So while a worker waits, ask it again.
function hurryWaiting(registration) {
  let asked = 0;
  const ask = () => {
    if (registration.waiting) registration.waiting.postMessage("skip-waiting");
    if ((registration.installing || registration.waiting) && ++asked < NUDGES) setTimeout(ask, NUDGE_MS);
  };
  ask();
}

// After the first answer is painted (so it never competes for bandwidth or a core before it),
// let the service worker keep a copy of the runtime for repeat and offline visits.
function keepOffline(root) {
  const sw = root.getAttribute("data-sw");
  if (!sw || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker
    .register(new URL(sw, window.location.href))
    .then((registration) => {
      hurryWaiting(registration);
      registration.addEventListener("updatefound", () => hurryWaiting(registration));
    })
    .catch(() => {
      // no service worker (private mode, an old browser): the calculator still works online
    });
}

// Runs `task` for the newest request only: `later()` once typing pauses, `now()` at once.
// `task` gets `isNewest()`: false once a newer run was asked for (or is waiting).
function newestOnly(task, pause) {
  let timer = 0;
  let runs = 0;
  const now = () => {
    const mine = ++runs;
    return task(() => mine === runs && !timer);
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = 0;
      now();
    }, pause);
  };
  return { now, later };
}

function mount(root) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "true";
  const $ = (selector) => root.querySelector(selector);
  const form = $("form");
  const status = $("[data-status]");
  const result = $("[data-result]");
  const batchResult = $("[data-batch-result]");
  const retry = $("[data-retry]");
  const config = configOf(root);
  const limits = limitsOf(root);
  const said = (code, fallback = "") => limits.messages?.[code] || fallback;
  // What this page holds between events: the engine, an opened profile file ({key, text}, in
  // memory, never in the URL), the last answer (for the JSON download) and the batch's CSV.
  // `batchRun` counts opened batch files: only the newest one's answer is shown; `batchFile`
  // is the newest one, worked through again after a retry.
  const page = {
    engine: engineFor(config),
    profile: null,
    lastAnswer: null,
    batchCsv: "",
    batchRun: 0,
    batchFile: null,
    batchSheet: null, // the workbook's sheet the visitor chose (null: the first)
    workbookUsed: false, // a workbook request has been made: the engine has loaded openpyxl
  };

  const panels = () => {
    const ownResult = showPanels(root);
    result.hidden = ownResult;
    batchResult.hidden = !ownResult || !page.batchCsv;
    readiness.panels();
  };
  const busy = (on) => result.setAttribute("aria-busy", on ? "true" : "false");

  // Once an answer has settled (no typing for SETTLE_MS) and its level differs from the one last
  // brought into view, the result's heading is scrolled just into view if it is off screen. The
  // focus stays in the field, and typing each character moves nothing.
  // A result that came with the page's link is left where it is: only input brings it into view.
  const reveal = { timer: 0, shown: "", typed: false };
  const revealLater = () => {
    clearTimeout(reveal.timer);
    const key = `${result.dataset.level}|${result.dataset.score}`;
    if (!reveal.typed || !result.dataset.level || key === reveal.shown) return;
    reveal.timer = setTimeout(() => {
      reveal.timer = 0;
      const heading = result.querySelector("#gc-result-title");
      const level = result.querySelector(".gc-level") || heading;
      if (!heading || result.hidden) return;
      reveal.shown = key;
      // The heading and the level under it: scrolled the least that shows both.
      const height = window.innerHeight || document.documentElement.clientHeight;
      const offScreen = heading.getBoundingClientRect().top < 0 || level.getBoundingClientRect().bottom > height;
      if (offScreen) level.scrollIntoView({ block: "nearest" });
    }, SETTLE_MS);
  };

  const recompute = newestOnly(async (isNewest) => {
    busy(true);
    if (activePanel(root)?.hasAttribute("data-own-result")) return busy(false);
    if (readiness.active()) return readiness.recompute(isNewest); // its own form and action
    const state = formState(form);
    const profile = usesProfileFile(root) ? page.profile : null;
    let answer;
    try {
      answer = await callWithProfile(page.engine, "form", { state, lang: lang() }, profile);
    } catch {
      if (isNewest()) busy(false);
      return; // the engine's failure is shown by the watcher
    }
    if (!isNewest()) return; // a newer value was typed meanwhile: its answer settles
    busy(false);
    clearErrors(root);
    page.lastAnswer = { inputs: state, errors: answer.ok ? [] : answer.errors };
    if (!answer.ok) return showMessage(result, showErrors(root, answer.errors).join(" "));
    const outcome = answer.result;
    if (!outcome.result) return showMessage(result, text(outcome.prompt));
    page.lastAnswer.result = { ...outcome.result };
    delete page.lastAnswer.result.charts; // the download keeps inputs and result, not drawings
    showResult(result, outcome.result);
    showRecord(result, outcome.inputs);
    revealLater();
  }, PAUSE_MS);

  const changed = () => {
    clearTimeout(reveal.timer);
    reveal.typed = true;
    syncUrl(form);
    busy(true);
    recompute.later();
  };
  const readiness = mountReadiness(root, { engine: () => page.engine, busy, schedule: changed });

  // Errors without a field (an unexpected failure) go beside the file that caused them.
  const fileErrors = (field, errors) => {
    const general = showErrors(root, errors);
    const box = root.querySelector(`[data-error-for="${field}"]`);
    if (general.length && box) box.textContent = [box.textContent, ...general].filter(Boolean).join(" ");
  };

  const openProfile = async (file) => {
    page.profile = null;
    clearErrors(root);
    if (limits.profile_bytes && file.size > limits.profile_bytes) {
      showProfileFields(root, []);
      return fileErrors("profile_file", [{ field: "profile_file", zh: said("profile_too_large"), en: said("profile_too_large") }]);
    }
    const profileText = await file.text();
    let answer;
    try {
      answer = await page.engine.call("profile", { profile_text: profileText, lang: lang() });
    } catch {
      return; // the engine's failure is shown by the watcher
    }
    clearErrors(root);
    showProfileFields(root, answer.ok ? answer.result.fields : []);
    markSpecialItems(root, !answer.ok || answer.result.profile.special_items !== false);
    if (!answer.ok) return fileErrors("profile_file", answer.errors);
    page.profile = { key: answer.result.key, text: profileText };
    panels();
    changed();
  };

  // A new file replaces every trace of the one before: its summary, table, note and download go
  // at once, and an answer about an older file that arrives later is dropped.
  const batchBusy = (on) => {
    batchResult.setAttribute("aria-busy", on ? "true" : "false");
    if (root.dataset.state === "ready") status.textContent = on ? said("batch_working") : status.dataset.readyText;
  };
  // A workbook (a zip: "PK\x03\x04") needs openpyxl, which the worker loads for that request only.
  const isWorkbook = (bytes) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const workbookCall = (action, input, bytes) => {
    const workbook = isWorkbook(bytes);
    if (workbook && !page.workbookUsed) status.textContent = said("workbook_loading");
    if (workbook) page.workbookUsed = true;
    const options = { workbook, field: "batch_file" };
    return page.engine.call(action, input, limits.batch_answer_seconds, bytes, options);
  };
  const sheetRow = $("[data-batch-sheet-row]");
  const sheetPicker = $("[data-batch-sheet]");
  const showSheets = (view) => {
    const sheets = view?.sheets || [];
    sheetRow.hidden = sheets.length < 2;
    sheetPicker.replaceChildren(
      ...sheets.map((name) => {
        const option = document.createElement("option");
        option.value = option.textContent = name;
        return option;
      }),
    );
    if (view?.sheet) sheetPicker.value = view.sheet;
  };
  const openBatch = async (file, sheet = null) => {
    const run = ++page.batchRun;
    if (file !== page.batchFile) showSheets(null);
    page.batchFile = file;
    page.batchSheet = sheet;
    page.batchCsv = "";
    clearErrors(root);
    showBatch(batchResult, { summary: null, errors: [], rows: [] });
    batchResult.querySelector("[data-batch-shown]").hidden = true;
    panels();
    if (limits.batch_bytes && file.size > limits.batch_bytes) {
      const message = said("batch_too_large");
      return fileErrors("batch_file", [{ field: "batch_file", zh: message, en: message }]);
    }
    batchBusy(true);
    let answer;
    try {
      // The file's bytes, not text: Python detects the encoding (UTF-8, UTF-16 with a mark, GB18030).
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (run !== page.batchRun) return;
      answer = await workbookCall("batch", { lang: lang(), sheet }, bytes);
    } catch {
      if (run === page.batchRun) batchResult.setAttribute("aria-busy", "false");
      return; // the engine's failure is shown by the watcher
    }
    if (run !== page.batchRun) return; // a newer file was opened meanwhile
    batchBusy(false);
    clearErrors(root);
    page.batchCsv = answer.ok ? answer.result.csv : "";
    if (answer.ok) {
      const view = answer.result;
      showSheets(view);
      showBatch(batchResult, view); // Python sends the first rows only (limits.shown_rows)
      const note = batchResult.querySelector("[data-batch-shown]");
      const total = (view.row_count ?? view.rows.length) + (view.error_count ?? view.errors.length);
      note.hidden = total <= view.rows.length + view.errors.length;
      note.textContent = note.hidden ? "" : said("batch_shown").replace("{total}", total.toLocaleString());
    } else {
      showSheets(answer); // a sheet without a batch: the answer names the others to choose from
      fileErrors("batch_file", answer.errors);
    }
    panels();
  };

  const downloadBatchWorkbook = async () => {
    const file = page.batchFile;
    if (!file || !page.batchCsv) return;
    batchBusy(true);
    let answer;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      // The file goes again (the engine keeps nothing between requests), with the same sheet.
      answer = await workbookCall("batch_workbook", { lang: lang(), sheet: page.batchSheet, date: localDate() }, bytes);
    } catch {
      return; // the engine's failure is shown by the watcher
    } finally {
      batchBusy(false);
    }
    if (answer.ok) downloadWorkbook("batch-results.xlsx", answer.result.xlsx);
    else fileErrors("batch_file", answer.errors);
  };

  const fail = (error) => {
    answered();
    if (!root.isConnected) return;
    root.dataset.state = "error";
    status.textContent = status.dataset.errorText + said(error.code, error.message); // the text ends in its edition's colon
    retry.hidden = false;
    busy(false);
    batchResult.setAttribute("aria-busy", "false");
  };

  const watch = () => {
    root.dataset.state = "loading";
    status.textContent = status.dataset.loadingText;
    retry.hidden = true;
    const { engine } = page;
    const onProgress = (bytes) => showProgress(root, bytes);
    engine.progress.add(onProgress);
    engine.ready.then(
      (start) => {
        engine.progress.delete(onProgress);
        if (!root.isConnected) return;
        root.dataset.runtimeStart = start; // "fresh", or "snapshot" on a repeat visit
        root.dataset.state = "ready";
        status.textContent = status.dataset.readyText;
        Promise.resolve(recompute.now()).finally(() => answered(() => keepOffline(root)));
        // After a retry, a batch file that was chosen but never answered is worked through again.
        const chosen = page.batchFile;
        if (chosen && !page.batchCsv && activePanel(root)?.hasAttribute("data-own-result")) openBatch(chosen);
        readiness.ready().catch(() => {}); // a failed decode leaves the form as it is
        engine.failed.then((error) => {
          if (page.engine === engine) fail(error);
        });
      },
      (error) => {
        engine.progress.delete(onProgress);
        fail(error);
      },
    );
  };

  applyQuery(form, linkedValues());
  readiness.restore();
  panels();
  syncUrl(form); // an old link's values move from the query string to the fragment
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    recompute.now();
  });
  form.addEventListener("input", (event) => {
    if (event.target.type !== "file") changed();
  });
  form.addEventListener("change", (event) => {
    if (event.target.type === "file") return;
    panels();
    changed();
  });
  // A file chosen again (fixed, and saved under the same name) is read again: the browser
  // fires no change for the same name unless the field is emptied before the picker opens.
  root.addEventListener("click", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === "file") event.target.value = "";
  });
  $("[data-profile-file]").addEventListener("change", (event) => {
    if (event.target.files[0]) openProfile(event.target.files[0]);
  });
  $("[data-batch-file]").addEventListener("change", (event) => {
    if (event.target.files[0]) openBatch(event.target.files[0]);
  });
  $("[data-download-batch]").addEventListener("click", () => download("batch-results.csv", "text/csv", page.batchCsv));
  $("[data-download-batch-xlsx]").addEventListener("click", downloadBatchWorkbook);
  sheetPicker.addEventListener("change", () => {
    if (page.batchFile) openBatch(page.batchFile, sheetPicker.value);
  });
  $("[data-copy-link]").addEventListener("click", async () => {
    const actionStatus = $("[data-action-status]");
    syncUrl(form);
    try {
      await navigator.clipboard.writeText(window.location.href);
      actionStatus.textContent = actionStatus.dataset.copied || "";
    } catch {
      actionStatus.textContent = window.location.href;
    }
  });
  $("[data-print]").addEventListener("click", () => window.print());
  $("[data-company]").addEventListener("input", () => showCompany(result));
  // "Readiness check" among the next steps: this page's own mode, chosen as a visitor would.
  $("[data-next]").addEventListener("click", (event) => {
    const link = event.target.closest('a[data-target="readiness"]');
    const radio = $('[data-mode="readiness"]');
    if (!link || !radio) return;
    event.preventDefault();
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    const panel = $('[data-panel="readiness"]');
    panel?.scrollIntoView({ block: "start" });
    panel?.querySelector('input[type="radio"]')?.focus({ preventScroll: true });
  });
  $("[data-download-json]").addEventListener("click", () =>
    download(
      "self-assessment.json",
      "application/json",
      JSON.stringify({ ...formatOf(root, "self-assessment"), ...(page.lastAnswer || { inputs: formState(form) }) }, null, 2),
    ),
  );
  retry.addEventListener("click", () => {
    page.engine = engineFor(config, true);
    watch();
  });
  watch();
}

function init() {
  for (const root of document.querySelectorAll("[data-calculator]")) mount(root);
}

if (window.document$) window.document$.subscribe(init);
else init();
