// The calculator's form: its values as plain data, the same values in the page's URL, which
// panel shows, and the fields of an opened profile file. Names, labels and values come from
// the markup (written from calculator.browser.form_layout) or from the engine's answer.

// The form's values as plain data: text as typed, checkboxes as booleans. Controls in
// disabled panels (other modes) and file pickers are left out.
export function formState(form) {
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

// Filled-in values only; a radio group at its default (the choice the markup checks) is left out.
function stateToQuery(form, state) {
  const defaults = new Map();
  for (const control of form.elements) if (control.type === "radio" && control.defaultChecked) defaults.set(control.name, control.value);
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(state)) {
    if (value === true) query.set(name, "1");
    else if (typeof value === "string" && value.trim() !== "" && defaults.get(name) !== value) query.set(name, value);
  }
  return query;
}

export function applyQuery(form, query) {
  for (const control of form.elements) {
    if (!control.name || control.type === "file" || !query.has(control.name)) continue;
    const value = query.get(control.name);
    if (control.type === "radio") {
      // A value none of the group's choices has (`mode=nonexistent`) leaves the default checked.
      if ([...form.elements].some((other) => other.name === control.name && other.value === value)) control.checked = control.value === value;
    } else if (control.type === "checkbox") control.checked = ["1", "true", "on"].includes(value);
    else if (control.tagName === "SELECT" && ![...control.options].some((option) => option.value === value)) {
      // A name the list does not have (`profile=nonexistent`) is still sent, so that Python's
      // answer names what was asked; the option's label is a neutral mark, never the raw text.
      const asked = new Option("?", value);
      asked.dataset.asked = "";
      control.append(asked);
      control.value = value;
    } else control.value = value;
  }
}

// The form's values travel in the URL's fragment (`#score=93`), which browsers never send: no
// request (the favicon, the next page, the worker's downloads) carries a typed number in its
// URL or Referer. A fragment without "=" is an ordinary anchor and is left alone.
export function linkedValues() {
  const hash = window.location.hash.slice(1);
  if (hash.includes("=")) return new URLSearchParams(hash);
  return new URLSearchParams(window.location.search); // an old link (`?score=93`): read once
}

export function syncUrl(form) {
  const params = stateToQuery(form, formState(form));
  // Keys that are not this form's (the readiness check's answers code, `r`) stay in the fragment.
  const current = new URLSearchParams(window.location.hash.includes("=") ? window.location.hash.slice(1) : "");
  for (const [key, value] of current) if (!form.elements.namedItem(key) && !params.has(key)) params.append(key, value);
  const query = params.toString();
  const search = new URLSearchParams(window.location.search);
  for (const control of form.elements) if (control.name) search.delete(control.name); // old-style values
  const rest = search.toString();
  const hash = window.location.hash.includes("=") ? "" : window.location.hash;
  const url = window.location.pathname + (rest ? "?" + rest : "") + (query ? "#" + query : hash);
  window.history.replaceState(window.history.state, "", url);
}

// The active mode's panel (the one whose data-panel is the checked [data-mode] radio's value).
export function activePanel(root) {
  const mode = [...root.querySelectorAll("[data-mode]")].find((radio) => radio.checked);
  return [...root.querySelectorAll("[data-panel]")].find((panel) => panel.dataset.panel === mode?.value) || null;
}

// Whether the profile choice asks for an opened file (the option marked data-opens-file).
export function usesProfileFile(root) {
  const choice = root.querySelector("[data-profile-choice]");
  return Boolean(choice?.selectedOptions[0]?.hasAttribute("data-opens-file"));
}

// Whether the active panel's chosen profile has no special items (SB/T 10401's tables): its
// option is marked data-no-special (by the markup, or for an opened file by markSpecialItems).
function lacksSpecialItems(root, active) {
  const choice = active?.querySelector("[data-profile-choice]");
  return Boolean(choice?.selectedOptions[0]?.hasAttribute("data-no-special"));
}

// Marks the custom-profile option after a file was opened: whether that profile has special items.
export function markSpecialItems(root, hasThem) {
  root.querySelector("[data-opens-file]").toggleAttribute("data-no-special", !hasThem);
}

// Shows the active mode's panel and the chosen profile's fields, and enables only their
// controls; returns whether that mode shows its own result (batch) instead of the shared one.
export function showPanels(root) {
  const active = activePanel(root);
  for (const panel of root.querySelectorAll("[data-panel]")) {
    panel.hidden = panel !== active;
    panel.disabled = panel !== active;
  }
  const choice = root.querySelector("[data-profile-choice]");
  for (const block of root.querySelectorAll("[data-indicators-for]")) {
    const on = Boolean(choice) && block.dataset.indicatorsFor === choice.value;
    block.hidden = !on;
    for (const control of block.querySelectorAll("input")) control.disabled = !on;
  }
  root.querySelector("[data-custom-profile]").hidden = !usesProfileFile(root);
  const ownResult = Boolean(active?.hasAttribute("data-own-result"));
  const shared = root.querySelector("[data-shared]"); // special items come from the CSV's own columns in batch mode
  const noSpecial = !ownResult && lacksSpecialItems(root, active);
  shared.hidden = ownResult || noSpecial;
  shared.disabled = ownResult || noSpecial;
  root.querySelector("[data-no-special-reason]").hidden = !noSpecial;
  return ownResult;
}

// The fields of an opened profile file, as the engine described them: one row each, from the
// markup's row template.
export function showProfileFields(root, fields) {
  const custom = root.querySelector("[data-opens-file]").value;
  const block = [...root.querySelectorAll("[data-indicators-for]")].find((each) => each.dataset.indicatorsFor === custom);
  const template = root.querySelector("template[data-indicator-row]");
  block.replaceChildren(
    ...fields.map((item) => {
      const row = template.content.firstElementChild.cloneNode(true);
      const [label, check] = row.querySelectorAll("label");
      const input = row.querySelector('input[type="text"]');
      const box = row.querySelector('input[type="checkbox"]');
      const error = row.querySelector(".gc-error");
      input.id = `gc-custom-${item.id}`;
      input.name = item.id;
      label.htmlFor = input.id;
      label.textContent = item.label;
      if (item.na) {
        box.name = item.na;
        check.lastChild.textContent = ` ${item.na_label}`;
      } else check.remove(); // a first-level group is never "not applicable"
      error.id = `gc-custom-${item.id}-error`;
      error.dataset.errorFor = item.id;
      input.setAttribute("aria-describedby", error.id);
      return row;
    }),
  );
}
