// Writing the engine's answers into the page: text with textContent only, charts as SVG parsed
// as XML (never as HTML). Every word and figure written here came from Python.

export const lang = () => ((document.documentElement.lang || "zh").toLowerCase().startsWith("en") ? "en" : "zh");

// A message from the engine ({zh, en}) in the page's language.
export const text = (message) => (message ? message[lang()] || message.zh || "" : "");

export function clearErrors(root) {
  for (const box of root.querySelectorAll("[data-error-for]")) box.textContent = "";
  for (const control of root.querySelectorAll("form [aria-invalid]")) control.setAttribute("aria-invalid", "false");
}

// Each error beside its field, which is marked invalid; returns the texts of errors that have no field.
export function showErrors(root, errors) {
  const form = root.querySelector("form");
  const general = [];
  for (const error of errors) {
    const box = error.field ? root.querySelector(`[data-error-for="${CSS.escape(error.field)}"]`) : null;
    if (!box) {
      general.push(text(error));
      continue;
    }
    box.textContent = text(error);
    const control = [...form.elements].find((c) => c.name === error.field && !c.disabled);
    if (control) control.setAttribute("aria-invalid", "true");
  }
  return general;
}

function fill(result, name, value) {
  const node = result.querySelector(`[data-field="${name}"]`);
  if (node) node.textContent = value || "";
}

function fillList(container, items) {
  const list = container.querySelector("[data-list]") || container;
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      li.textContent = typeof item === "string" ? item : text(item);
      return li;
    }),
  );
  if (container.dataset.block) container.hidden = items.length === 0;
}

function svgNode(markup) {
  const parsed = new DOMParser().parseFromString(markup, "image/svg+xml");
  const svg = parsed.documentElement;
  return svg && svg.nodeName === "svg" ? document.importNode(svg, true) : null;
}

// The next steps Python chose for this result: each a link to its target's address, which the
// markup holds (data-href-TARGET on [data-next]).
function showNext(result, steps) {
  const block = result.querySelector("[data-next]");
  if (!block) return;
  const items = (steps || []).flatMap((step) => {
    const href = block.getAttribute(`data-href-${step.target}`);
    if (!href) return [];
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = href;
    link.dataset.target = step.target;
    link.textContent = text(step.text);
    li.append(link);
    return [li];
  });
  block.querySelector("[data-next-steps]").replaceChildren(...items);
  block.hidden = items.length === 0;
}

// No result: every field empty, and `message` (a prompt, or errors without a field) in the summary.
export function showMessage(result, message) {
  result.dataset.level = "";
  result.dataset.score = "";
  for (const node of result.querySelectorAll("[data-field]")) node.textContent = "";
  for (const block of result.querySelectorAll("[data-block]")) fillList(block, []);
  fillList(result.querySelector('[data-list="record_inputs"]'), []);
  result.querySelector("[data-charts]").replaceChildren();
  showNext(result, []);
  fill(result, "summary", message);
}

export function showResult(result, view) {
  result.dataset.level = view.level;
  result.dataset.score = view.score;
  fill(result, "level", text(view.level_name));
  fill(result, "stars", view.stars > 0 ? "★".repeat(view.stars) : "");
  fill(result, "summary", text(view.summary));
  fill(result, "detail", text(view.detail));
  fill(result, "arithmetic", text(view.arithmetic));
  fillList(result.querySelector('[data-block="reasons"]'), view.reasons || []);
  fillList(result.querySelector('[data-block="recover"]'), view.recover || []);
  fill(result, "recover_note", text(view.recover_note));
  fillList(result.querySelector('[data-block="assumptions"]'), view.assumptions || []);
  const charts = (view.charts || []).map((chart) => {
    const figure = document.createElement("figure");
    const svg = svgNode(chart.svg);
    if (svg) figure.append(svg);
    const caption = document.createElement("figcaption");
    caption.textContent = chart.alt;
    figure.append(caption);
    return figure;
  });
  result.querySelector("[data-charts]").replaceChildren(...charts);
  showNext(result, view.next_steps);
}

// The printed record's lines: today's date, the page's address without the inputs, and the
// inputs as Python listed them.
export function showRecord(result, inputs) {
  const today = new Date();
  const two = (n) => String(n).padStart(2, "0");
  fill(result, "record_date", `${today.getFullYear()}-${two(today.getMonth() + 1)}-${two(today.getDate())}`);
  fill(result, "record_address", window.location.origin + window.location.pathname);
  fillList(result.querySelector('[data-list="record_inputs"]'), inputs || []);
  showCompany(result);
}

// The company name typed for the printout (never kept, never in the link) as text on the record.
export function showCompany(result) {
  const field = result.closest("[data-calculator]")?.querySelector("[data-company]");
  fill(result, "record_company", field ? field.value.trim() : "");
}

export function showBatch(section, view) {
  // Outlet rows get the band their score falls in (Python's wording), never a certificate level.
  const column = section.querySelector("[data-level-column]");
  column.textContent = view.outlets ? column.dataset.bandLabel : column.dataset.levelLabel;
  section.querySelector('[data-field="batch_summary"]').textContent = text(view.summary);
  fillList(section.querySelector('[data-list="batch_errors"]'), view.errors || []);
  section.querySelector("[data-batch-rows]").replaceChildren(
    ...view.rows.map((row) => {
      const tr = document.createElement("tr");
      tr.dataset.level = row.level || "";
      const shown = row.display || {};
      for (const cell of [row.id, shown.score, text(row.band_name || row.level_name), shown.points_to_next]) {
        const td = document.createElement("td");
        td.textContent = cell ?? "—";
        tr.append(td);
      }
      return tr;
    }),
  );
}

export function showProgress(root, bytes) {
  const bar = root.querySelector("[data-progress]");
  const total = Number(bar.max) || 1;
  const received = Math.min(bytes, total);
  bar.value = received;
  root.querySelector("[data-progress-text]").textContent = `${Math.round((received / total) * 100)}%`;
}

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// A workbook the engine wrote (base64 in its answer) as a download.
export function downloadWorkbook(name, base64) {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  download(name, XLSX_TYPE, bytes);
}

// Today in the visitor's time zone, YYYY-MM-DD (the date a downloaded workbook records).
export const localDate = () => new Date().toLocaleDateString("en-CA");

export function download(name, type, content) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([content], { type }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
