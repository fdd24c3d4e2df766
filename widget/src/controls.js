// The settings form. Every change goes to the engine through setConfig; the engine validates
// and its refusal message is shown next to the field (the network keeps its state).

import { optionLabel } from "./i18n.js";
import { parseDecimal } from "./format.js";

// Control groups an author can show with data-controls="train,step,...".
export const CONTROL_GROUPS = ["train", "step", "reset", "data", "network", "learning", "regularization", "view"];

export const DATASETS = ["circle", "xor", "gauss", "spiral", "moons", "multiclass", "plane", "multigauss", "radiografias"];
export const ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"];
export const OPTIMIZERS = ["sgd", "momentum", "nesterov", "rmsprop", "adam"];
export const MAX_HIDDEN_LAYERS = 8;
export const MAX_NEURONS = 16;

// data-controls → the set of groups to show. Missing attribute or "all": everything;
// an empty value: nothing (a bare figure); unknown names are ignored.
export function parseControls(value) {
  if (value === null || value === undefined) return new Set(CONTROL_GROUPS);
  const names = String(value).split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.includes("all")) return new Set(CONTROL_GROUPS);
  return new Set(names.filter((n) => CONTROL_GROUPS.includes(n)));
}

// What to send for a typed number: the parsed number, or the raw text so the engine refuses it
// with its own message.
export function numericValue(text, integer = false) {
  const n = parseDecimal(text);
  if (n === null) return String(text);
  return integer && Number.isInteger(n) ? n : n;
}

// A config value as the reader types it: numbers in the page's language (0,1 in Spanish), no
// grouping, enough digits to round-trip what the engine holds.
export function inputText(value, lang = "es") {
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value);
  return new Intl.NumberFormat(lang, { useGrouping: false, maximumSignificantDigits: 12 }).format(value);
}

// The widget keeps diagrams readable: 1..MAX_NEURONS per hidden layer (the engine alone would
// accept more). Returns null when the typed size is fine, else the i18n key of the refusal;
// anything that is not a number is left to the engine's own message.
export function checkLayerSize(value) {
  if (typeof value !== "number") return null;
  return Number.isInteger(value) && value >= 1 && value <= MAX_NEURONS ? null : "controls.neurons_range";
}

// Hidden layer edits, kept pure for tests: sizes within 1..MAX_NEURONS, 0..MAX_HIDDEN_LAYERS layers.
export function addLayer(hidden) {
  const h = [...(hidden || [])];
  if (h.length >= MAX_HIDDEN_LAYERS) return h;
  h.push(h.length ? h[h.length - 1] : 4);
  return h;
}

export function removeLayer(hidden) {
  return (hidden || []).slice(0, -1);
}

let fieldCounter = 0;

export class Controls {
  constructor(form, widget, groups) {
    this.form = form;
    this.widget = widget;
    this.groups = groups;
    this.fields = new Map(); // config key -> {input, error}
    this.built = false;
    this.hiddenSizes = null;
    form.addEventListener("submit", (e) => e.preventDefault());
  }

  set hidden(v) {
    this.form.hidden = v || !["data", "network", "learning", "regularization", "view"].some((g) => this.groups.has(g));
  }

  tr(key, params) {
    return this.widget.tr(key, params);
  }

  _field(parent, key, labelKey, input) {
    const id = `bp-f${++fieldCounter}`;
    const wrap = document.createElement("div");
    wrap.className = "bp-field";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = this.tr(labelKey);
    input.id = id;
    input.name = key;
    const error = document.createElement("div");
    error.className = "bp-field-error";
    error.id = `${id}-err`;
    error.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", error.id);
    wrap.append(label, input, error);
    parent.append(wrap);
    this.fields.set(key, { input, error });
    return input;
  }

  _select(parent, key, labelKey, group, values) {
    const select = document.createElement("select");
    for (const v of values) {
      const o = document.createElement("option");
      o.value = v;
      o.textContent = optionLabel(this.widget.lang, group, v);
      select.append(o);
    }
    this._field(parent, key, labelKey, select);
    select.addEventListener("change", () => this._send(key, select.value));
    return select;
  }

  _number(parent, key, labelKey, integer = false) {
    const input = document.createElement("input");
    // type=text + inputmode: a reader may type "0,1" or even "abc" and get the engine's answer.
    input.type = "text";
    input.inputMode = "decimal";
    input.autocomplete = "off";
    input.spellcheck = false;
    this._field(parent, key, labelKey, input);
    input.addEventListener("change", () => this._send(key, numericValue(input.value, integer)));
    return input;
  }

  _build(config) {
    this.built = true;
    const f = this.form;
    const lang = this.widget.lang;
    if (this.groups.has("data")) {
      const fs = this._fieldset(f, "controls.group.data");
      const sel = this._select(fs, "dataset", "controls.dataset", "dataset", DATASETS);
      if (config.dataset && !DATASETS.includes(config.dataset)) {
        const o = document.createElement("option");
        o.value = config.dataset;
        o.textContent = optionLabel(lang, "dataset", config.dataset);
        sel.append(o);
      }
      this._number(fs, "noise", "controls.noise");
    }
    if (this.groups.has("network")) {
      const fs = this._fieldset(f, "controls.hidden");
      this.layersBox = document.createElement("div");
      this.layersBox.className = "bp-layers";
      fs.append(this.layersBox);
      const errors = document.createElement("div");
      errors.className = "bp-field-error";
      errors.setAttribute("aria-live", "polite");
      fs.append(errors);
      this.fields.set("hidden", { input: null, error: errors });
      this._select(fs, "activation", "controls.activation", "activation", ACTIVATIONS);
    }
    if (this.groups.has("learning")) {
      const fs = this._fieldset(f, "controls.group.learning");
      this._number(fs, "learning_rate", "controls.learning_rate");
      this._select(fs, "optimizer", "controls.optimizer", "optimizer", OPTIMIZERS);
      this._number(fs, "batch_size", "controls.batch_size", true);
    }
    if (this.groups.has("regularization")) {
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = this.tr("controls.regularization");
      details.append(summary);
      const box = document.createElement("div");
      box.className = "bp-field";
      details.append(box);
      const fs = document.createElement("fieldset");
      fs.append(details);
      f.append(fs);
      this._number(box, "l1", "controls.l1");
      this._number(box, "l2", "controls.l2");
      this._number(box, "dropout", "controls.dropout");
    }
    if (this.groups.has("view")) {
      const fs = this._fieldset(f, "controls.view");
      fs.append(this._checkbox("network.show_grad", (on) => this.widget._network.setShowGradients(on)));
      fs.append(document.createElement("br"), this._checkbox("chart.log", (on) => this.widget.setLogChart(on)));
    }
  }

  _fieldset(parent, legendKey) {
    const fs = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = this.tr(legendKey);
    fs.append(legend);
    parent.append(fs);
    return fs;
  }

  _checkbox(labelKey, onChange) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.addEventListener("change", () => onChange(box.checked));
    label.append(box, " ", this.tr(labelKey));
    return label;
  }

  _renderLayers(hidden) {
    if (!this.layersBox) return;
    const key = JSON.stringify(hidden);
    if (this.hiddenSizes === key) return;
    this.hiddenSizes = key;
    this.layersBox.textContent = "";
    hidden.forEach((n, i) => {
      const input = document.createElement("input");
      input.type = "number";
      input.min = "1";
      input.max = String(MAX_NEURONS);
      input.step = "1";
      input.value = String(n);
      input.setAttribute("aria-label", this.tr("controls.neurons", { n: i + 1 }));
      input.addEventListener("change", () => {
        const next = [...hidden];
        next[i] = numericValue(input.value, true);
        const refusal = checkLayerSize(next[i]);
        const field = this.fields.get("hidden");
        if (refusal) {
          field.error.textContent = this.tr(refusal, { max: MAX_NEURONS });
          input.setAttribute("aria-invalid", "true");
          return;
        }
        input.removeAttribute("aria-invalid");
        this._send("hidden", next);
      });
      this.layersBox.append(input);
    });
    const add = document.createElement("button");
    add.type = "button";
    add.textContent = "+";
    add.setAttribute("aria-label", this.tr("controls.add_layer.aria"));
    add.title = this.tr("controls.add_layer");
    add.disabled = hidden.length >= MAX_HIDDEN_LAYERS;
    add.addEventListener("click", () => this._send("hidden", addLayer(hidden)));
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "−";
    remove.setAttribute("aria-label", this.tr("controls.remove_layer.aria"));
    remove.title = this.tr("controls.remove_layer");
    remove.disabled = hidden.length === 0;
    remove.addEventListener("click", () => this._send("hidden", removeLayer(hidden)));
    this.layersBox.append(remove, add);
  }

  async _send(key, value) {
    const field = this.fields.get(key);
    try {
      await this.widget.setConfig({ [key]: value });
      if (field) {
        field.error.textContent = "";
        if (field.input) field.input.removeAttribute("aria-invalid");
      }
    } catch (e) {
      if (field) {
        field.error.textContent = e.message;
        if (field.input) field.input.setAttribute("aria-invalid", "true");
      }
    }
  }

  // Sync the form with the engine's config (skipping a field the reader is editing or that
  // shows a refusal).
  update(snapshot) {
    const config = snapshot?.config;
    if (!config) return;
    if (!this.built) this._build(config);
    const active = this.form.getRootNode().activeElement;
    for (const [key, { input }] of this.fields) {
      if (!input || input === active || input.getAttribute("aria-invalid") === "true") continue;
      if (config[key] === undefined || config[key] === null) continue;
      const v = inputText(config[key], this.widget.lang);
      if (input.value !== v) input.value = v;
    }
    if (Array.isArray(config.hidden)) this._renderLayers(config.hidden);
  }
}
