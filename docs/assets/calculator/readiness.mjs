// The readiness check's glue (issue 19): its answers (one radio group per evidence item, named by
// the item id) go to Python's "readiness" action, and the answer is written into the shared result
// ([data-result], with the range's levels and scores as data attributes) and the plan's gap list.
// No rule lives here: every figure, level, sentence and the answers code come from Python.
//
// Keeping the work, on this device only: the answers are saved in localStorage on every change,
// and the page's link carries them as Python's short answers code in the URL fragment (#r=...),
// which never reaches a server. A code in the link wins over saved answers.

import { formatOf, limitsOf } from "./engine.mjs";
import { formState } from "./form.mjs";
import {
  clearErrors,
  download,
  downloadWorkbook,
  lang,
  localDate,
  showErrors,
  showMessage,
  showRecord,
  showResult,
  text,
} from "./render.mjs";

const STORE = "gc-readiness-answers"; // localStorage: {"answers": {item id: code}}
const CODE = "r"; // the fragment's key for the answers code
const RANGE = { levelLow: "level_low", levelHigh: "level_high", scoreLow: "score_low", scoreHigh: "score_high" };

// The fragment as key=value pairs; a plain anchor (no "=") is not ours and is left alone.
function fragmentCode() {
  const hash = window.location.hash.slice(1);
  return hash.includes("=") ? new URLSearchParams(hash).get(CODE) : null;
}

function setFragmentCode(code) {
  const hash = window.location.hash.slice(1);
  if (!code && !hash.includes("=")) return;
  const params = new URLSearchParams(hash.includes("=") ? hash : "");
  if (code) params.set(CODE, code);
  else params.delete(CODE);
  const fragment = params.toString();
  const url = window.location.pathname + window.location.search + (fragment ? "#" + fragment : "");
  window.history.replaceState(window.history.state, "", url);
}

function radios(form) {
  return [...form.elements].filter((control) => control.type === "radio");
}

function answersOf(form) {
  const answers = {};
  for (const radio of radios(form)) if (radio.checked) answers[radio.name] = radio.value;
  return answers;
}

function applyAnswers(form, answers) {
  for (const radio of radios(form)) radio.checked = answers[radio.name] === radio.value;
}

function saved() {
  try {
    const data = JSON.parse(window.localStorage.getItem(STORE) || "null");
    return data && typeof data.answers === "object" && data.answers ? data.answers : null;
  } catch {
    return null; // no storage (private mode) or a damaged entry
  }
}

function save(answers) {
  try {
    if (Object.keys(answers).length) window.localStorage.setItem(STORE, JSON.stringify({ answers }));
    else window.localStorage.removeItem(STORE);
  } catch {
    // no storage: the link still carries the answers
  }
}

// `engine()`: the page's engine now; `busy(on)`: the shared result's aria-busy; `schedule()`: the
// page's "an input changed" (keeps the link, then recomputes once typing pauses).
export function mountReadiness(root, { engine, busy, schedule }) {
  const form = root.querySelector("[data-readiness]");
  const panel = form.querySelector("[data-panel]");
  const result = root.querySelector("[data-result]");
  const section = root.querySelector("[data-readiness-result]");
  const status = form.querySelector("[data-readiness-status]");
  const modeRadio = root.querySelector(`[data-mode="${CSS.escape(panel.dataset.panel)}"]`);
  // The plan reads right after the level and its range, before the charts and the assumptions:
  // on a phone, what to do first is then the next thing on screen.
  result.querySelector("[data-charts]").before(section);
  let lastDocument = null;
  let pendingCode = null; // a code from the link, decoded once the engine is ready
  let touched = false;

  const active = () => Boolean(modeRadio?.checked);
  const counted = (label, answered, total) =>
    (label.textContent = form.dataset.readinessProgressText.replace("{answered}", answered).replace("{total}", total));

  const progress = () => {
    const answers = answersOf(form);
    const answered = Object.keys(answers).length;
    const bar = form.querySelector("[data-readiness-progress]");
    bar.value = answered;
    counted(form.querySelector("[data-readiness-count]"), answered, bar.max);
    for (const group of form.querySelectorAll("[data-readiness-group]")) {
      const count = group.querySelector("[data-group-count]");
      const inGroup = [...group.querySelectorAll("[data-item]")].filter((item) => item.dataset.item in answers);
      counted(count, inGroup.length, count.dataset.total);
    }
  };

  const clearRange = () => {
    for (const name of Object.keys(RANGE)) delete result.dataset[name];
  };

  const panels = () => {
    section.hidden = !active() || !lastDocument;
    if (!active()) clearRange();
  };

  const keep = () => {
    const answers = answersOf(form);
    save(answers);
    progress();
    return answers;
  };

  // The plan as a table to hand out: a box to tick, the evidence to produce (the action) with its
  // question and what it adds, and on paper an owner and a due date to write in.
  const cell = (className, ...children) => {
    const td = document.createElement("td");
    if (className) td.className = className;
    td.append(...children);
    return td;
  };
  const showPlan = (view) => {
    const items = view.gaps.map((gap, index) => {
      const tr = document.createElement("tr");
      const box = document.createElement("span");
      box.className = "gc-box";
      box.setAttribute("aria-hidden", "true");
      const action = document.createElement("p");
      action.className = "gc-plan-action";
      const label = document.createElement("strong");
      label.textContent = `${index + 1}. ${form.dataset.produce}${lang() === "en" ? ": " : "："}`;
      const note = document.createElement("span");
      note.className = "gc-hint";
      note.textContent = text(gap.note);
      action.append(label, text(gap.evidence), note);
      // The question it answers: on screen; on paper the evidence and its gain say enough, and a
      // plan of every item then still fits two pages.
      const question = document.createElement("p");
      question.className = "gc-hint gc-plan-question";
      question.textContent = text(gap.question);
      tr.dataset.gap = gap.id;
      tr.append(cell("gc-plan-done", box), cell("", action, question), cell("gc-plan-paper"), cell("gc-plan-paper"));
      return tr;
    });
    section.querySelector("[data-readiness-gaps]").replaceChildren(...items);
    section.querySelector("[data-readiness-plan]").hidden = items.length === 0;
    section.querySelector("[data-readiness-none]").hidden = items.length > 0;
    const reaches = section.querySelector("[data-readiness-reaches]");
    reaches.textContent = text(view.reaches);
    reaches.hidden = !view.reaches;
    const unanswered = view.unanswered_items.map((item) => {
      const li = document.createElement("li");
      li.textContent = text(item.question);
      return li;
    });
    section.querySelector("[data-readiness-unanswered]").replaceChildren(...unanswered);
    section.querySelector("[data-readiness-unanswered-block]").hidden = unanswered.length === 0;
  };

  // One recompute for the page's newest-only runner (calculator.mjs); `isNewest()` as there.
  const recompute = async (isNewest) => {
    const state = formState(root.querySelector("form.gc-form:not([data-readiness])"));
    if (!Object.keys(answersOf(form)).length) {
      // Nothing answered yet: no level and no plan (not "not qualified, 0 points"), only what to do.
      busy(false);
      clearErrors(root);
      clearRange();
      lastDocument = null;
      panels();
      return showMessage(result, form.dataset.empty);
    }
    const input = {
      answers: answersOf(form),
      special_deductions: state.special_deductions ?? "",
      special_bonus: state.special_bonus ?? false,
      lang: lang(),
    };
    let answer;
    try {
      answer = await engine().call("readiness", input);
    } catch {
      return; // the engine's failure is shown by the page's watcher
    }
    if (!isNewest() || !root.isConnected) return; // newer answers, or the visitor has left the page
    busy(false);
    clearErrors(root);
    if (!answer.ok) {
      clearRange();
      lastDocument = null;
      panels();
      return showMessage(result, showErrors(root, answer.errors).join(" "));
    }
    const view = answer.result;
    showResult(result, view);
    for (const [name, key] of Object.entries(RANGE)) result.dataset[name] = view[key];
    lastDocument = view.document;
    showPlan(view);
    showRecord(result, view.inputs);
    setFragmentCode(Object.keys(view.document.answers).length ? view.code : null);
    panels();
  };

  // Before the first paint of the form: a code in the link selects this mode (its answers come
  // once the engine can decode them); otherwise the answers saved on this device are put back.
  const restore = () => {
    pendingCode = fragmentCode();
    if (pendingCode && modeRadio) modeRadio.checked = true;
    else applyAnswers(form, saved() || {});
    progress();
  };

  const ready = async () => {
    if (!pendingCode) return;
    const code = pendingCode;
    pendingCode = null;
    const answer = await engine().call("decode", { code });
    if (touched || !root.isConnected) return; // the visitor answered meanwhile: theirs stand
    if (!answer.ok) {
      status.textContent = showErrors(root, answer.errors).join(" ");
      return;
    }
    applyAnswers(form, answer.result.answers);
    keep();
    schedule();
  };

  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", (event) => {
    if (event.target.type !== "radio") return;
    touched = true;
    status.textContent = "";
    keep();
    schedule();
  });
  form.querySelector("[data-readiness-clear]").addEventListener("click", () => {
    touched = true;
    applyAnswers(form, {});
    keep();
    setFragmentCode(null);
    status.textContent = form.dataset.cleared;
    schedule();
  });
  form.querySelector("[data-readiness-export]").addEventListener("click", () => {
    const specials = lastDocument || { special_deductions: 0, special_bonus: false };
    const document = { ...formatOf(root, "readiness-answers"), ...specials, answers: answersOf(form) };
    download("readiness-answers.json", "application/json", JSON.stringify(document, null, 2));
  });
  // The plan as a workbook (openpyxl, loaded by the worker for this request only): a row per gap.
  form.querySelector("[data-readiness-workbook]")?.addEventListener("click", async () => {
    const specials = lastDocument || { special_deductions: 0, special_bonus: false };
    const guide = new URL(form.dataset.guide, window.location.href).href;
    const input = { ...specials, answers: answersOf(form), lang: lang(), date: localDate(), guide };
    const limits = limitsOf(root);
    status.textContent = limits.messages?.workbook_loading || "";
    let answer;
    try {
      const options = { workbook: true, field: "readiness_file" };
      answer = await engine().call("readiness_workbook", input, limits.batch_answer_seconds, undefined, options);
    } catch {
      return; // the engine's failure is shown by the page's watcher
    }
    status.textContent = "";
    if (answer.ok) downloadWorkbook("readiness-plan.xlsx", answer.result.xlsx);
    else status.textContent = showErrors(root, answer.errors).join(" ");
  });
  form.querySelector("[data-readiness-print]").addEventListener("click", () => {
    root.dataset.print = "plan";
    try {
      window.print();
    } finally {
      delete root.dataset.print;
    }
  });
  form.querySelector("[data-readiness-file]").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const answer = await engine().call("readiness_file", { text: await file.text() });
    clearErrors(root);
    if (!answer.ok) {
      status.textContent = "";
      return showErrors(root, answer.errors);
    }
    touched = true;
    applyAnswers(form, answer.result.answers);
    const deductions = root.querySelector('input[name="special_deductions"]');
    const bonus = root.querySelector('input[name="special_bonus"]');
    if (deductions) deductions.value = answer.result.special_deductions ? String(answer.result.special_deductions) : "";
    if (bonus) bonus.checked = answer.result.special_bonus;
    keep();
    status.textContent = form.dataset.imported;
    schedule();
  });

  return { active, recompute, restore, ready, panels };
}
