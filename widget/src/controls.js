// The settings form. Every field's type, label, choices and limits come from the engine's
// contract (contract.js, generated from the config schema); the widget only chooses which
// fields its form offers. Every change goes to the engine through setConfig; the engine
// validates and its refusal is shown next to the field (the network keeps its state).

import { CONTRACT } from "./contract.js";
import { parseDecimal } from "./format.js";

const FIELDS = CONTRACT.config.fields;

// The config fields the form offers: every field of the contract but the page's language,
// grouped in fieldsets by their contract group.
export const FORM_FIELDS = CONTRACT.config.order.filter((n) => n !== "lang");

// Fields folded under "Más ajustes" in their group, so the default form stays calm.
export const ADVANCED_FIELDS = ["n_samples", "val_fraction", "seed", "negative_slope", "output_activation", "loss", "init",
  "momentum", "alpha", "beta1", "beta2", "eps"];

// An optimizer's hyper-parameters are offered only with the optimizers that read them (the
// schema's help says which: "For momentum and Nesterov", "For Adam", …).
export const OPTIMIZER_FIELDS = { momentum: ["momentum", "nesterov"], alpha: ["rmsprop"], beta1: ["adam"], beta2: ["adam"], eps: ["rmsprop", "adam"] };

// Whether field `name` applies to the config (hidden otherwise; its value stays).
export function fieldApplies(name, config) {
  if (OPTIMIZER_FIELDS[name]) return OPTIMIZER_FIELDS[name].includes(config.optimizer);
  if (name === "negative_slope") return config.activation === "leaky_relu" || config.output_activation === "leaky_relu";
  return true;
}

// The learning-rate slider moves log10(η) over these decades (the typed field takes any value
// the engine and the widget's limit accept).
export const LR_SLIDER = { min: -4, max: 1, step: 0.1 };

// A slider position → a learning rate with two significant digits (0.0032, 0.1, 2.5).
export function sliderRate(position) {
  return Number((10 ** Number(position)).toPrecision(2));
}

// Control groups an author can show with data-controls="train,step,...", as the shortcode's
// `controls` parameter declares them: the toolbar's buttons and the config fields' groups
// ("view" holds the drawing options).
export const CONTROL_GROUPS = CONTRACT.shortcode.params.controls.choices.filter((g) => g !== "all");
const FORM_GROUPS = [...new Set(CONTRACT.config.order.map((n) => FIELDS[n].group))];

// data-controls → the set of groups to show. Missing attribute or "all": everything;
// an empty value: nothing (a bare figure); unknown names are ignored.
export function parseControls(value) {
  if (value === null || value === undefined) return new Set(CONTROL_GROUPS);
  const names = String(value).split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.includes("all")) return new Set(CONTROL_GROUPS);
  return new Set(names.filter((n) => CONTROL_GROUPS.includes(n)));
}

// A field's limits as the widget offers them: the contract's `widget` limits where they are
// narrower, the engine's otherwise.
export function fieldLimits(name) {
  const f = FIELDS[name];
  const w = f.widget || {};
  const pick = (key) => (w[key] ?? f[key] ?? null);
  return { min: pick("min"), max: pick("max"), item_min: pick("item_min"), item_max: pick("item_max"), max_length: pick("max_length"), choices: pick("choices") || [] };
}

// What to send for a typed number: the parsed number, or the raw text so the engine refuses it
// with its own message; an optional number left empty is null (e.g. no clipping).
export function numericValue(text, optional = false) {
  if (optional && String(text ?? "").trim() === "") return null;
  const n = parseDecimal(text);
  return n === null ? String(text) : n;
}

// A config value as the reader types it: numbers in the page's language (0,1 in Spanish), no
// grouping, enough digits to round-trip what the engine holds.
export function inputText(value, lang = "es") {
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value);
  return new Intl.NumberFormat(lang, { useGrouping: false, maximumSignificantDigits: 12 }).format(value);
}

// The widget's own limits on a typed number, where the contract's `widget` limits are narrower
// than the engine's (so the diagram stays readable, the demo stays stable): null when fine,
// else {key, params} of the refusal. Anything else (text, the engine's own bounds) is refused
// by the engine, in its words.
export function checkWidgetLimit(name, value) {
  const w = FIELDS[name]?.widget;
  if (!w || typeof value !== "number") return null;
  if (w.max !== undefined && value > w.max) return { key: "controls.above_max", params: { max: w.max } };
  if (w.min !== undefined && value < w.min) return { key: "controls.below_min", params: { min: w.min } };
  return null;
}

// One hidden layer's size: a whole number within the widget's item limits.
export function checkLayerSize(value) {
  if (typeof value !== "number") return null;
  const { item_min: min, item_max: max } = fieldLimits("hidden");
  return Number.isInteger(value) && value >= min && value <= max ? null : { key: "controls.neurons_range", params: { min, max } };
}

// Hidden layer edits, kept pure for tests: at most the widget's number of layers; a new layer
// copies the last size (or the default's first).
export function addLayer(hidden) {
  const h = [...(hidden || [])];
  if (h.length >= fieldLimits("hidden").max_length) return h;
  h.push(h.length ? h[h.length - 1] : FIELDS.hidden.default[0]);
  return h;
}

export function removeLayer(hidden) {
  return (hidden || []).slice(0, -1);
}

// The reader's label of a choice value: the engine's, or the raw value (e.g. a data set the
// engine added after this contract was generated).
export function choiceLabel(name, value, lang) {
  return CONTRACT.labels.choices[name]?.[value]?.[lang] ?? String(value);
}

let fieldCounter = 0;

export class Controls {
  // ctx: the view context the element builds: tr, lang, setConfig(partial), showGradients(on),
  // logChart(on).
  constructor(form, ctx, groups) {
    this.form = form;
    this.ctx = ctx;
    this.groups = groups;
    this.fields = new Map(); // config key -> {input, error}
    this.built = false;
    this.hiddenSizes = null;
    form.addEventListener("submit", (e) => e.preventDefault());
  }

  set hidden(v) {
    this.form.hidden = v || !FORM_GROUPS.some((g) => this.groups.has(g));
  }

  tr(key, params) {
    return this.ctx.tr(key, params);
  }

  _label(name) {
    return FIELDS[name].label[this.ctx.lang];
  }

  // label + control + the line where the engine's refusal appears.
  _field(parent, key, input) {
    const id = `bp-f${++fieldCounter}`;
    const wrap = document.createElement("div");
    wrap.className = "bp-field";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = this._label(key);
    label.title = FIELDS[key].help[this.ctx.lang];
    input.id = id;
    input.name = key;
    const error = document.createElement("div");
    error.className = "bp-field-error";
    error.id = `${id}-err`;
    error.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", error.id);
    wrap.append(label, input, error);
    parent.append(wrap);
    this.fields.set(key, { input, error, wrap });
    return input;
  }

  _select(parent, key, current) {
    const select = document.createElement("select");
    const values = fieldLimits(key).choices;
    // A value outside the offered choices (e.g. "csv" after load_csv) is still shown.
    for (const v of current !== undefined && !values.includes(current) ? [...values, current] : values) {
      const o = document.createElement("option");
      o.value = v;
      o.textContent = choiceLabel(key, v, this.ctx.lang);
      select.append(o);
    }
    this._field(parent, key, select);
    select.addEventListener("change", () => this._send(key, select.value));
  }

  _number(parent, key) {
    const input = document.createElement("input");
    // type=text + inputmode: a reader may type "0,1" or even "abc" and get the engine's answer.
    input.type = "text";
    input.inputMode = "decimal";
    input.autocomplete = "off";
    input.spellcheck = false;
    this._field(parent, key, input);
    const optional = FIELDS[key].type === "optional_number";
    input.addEventListener("change", () => {
      const value = numericValue(input.value, optional);
      if (!this._refuse(key, input, checkWidgetLimit(key, value))) this._send(key, value);
    });
  }

  _layers(parent) {
    const wrap = document.createElement("div");
    wrap.className = "bp-field";
    const label = document.createElement("span");
    label.className = "bp-field-label";
    label.textContent = this._label("hidden");
    this.layersBox = document.createElement("div");
    this.layersBox.className = "bp-layers";
    this.layersBox.setAttribute("role", "group");
    this.layersBox.setAttribute("aria-label", this._label("hidden"));
    const error = document.createElement("div");
    error.className = "bp-field-error";
    error.setAttribute("aria-live", "polite");
    wrap.append(label, this.layersBox, error);
    parent.append(wrap);
    this.fields.set("hidden", { input: null, error });
  }

  _build(config) {
    this.built = true;
    const sets = new Map();
    const more = new Map();
    for (const name of FORM_FIELDS) {
      const group = FIELDS[name].group;
      if (!this.groups.has(group)) continue;
      if (!sets.has(group)) sets.set(group, this._fieldset(group));
      let parent = sets.get(group);
      if (ADVANCED_FIELDS.includes(name)) {
        if (!more.has(group)) more.set(group, this._more(parent));
        parent = more.get(group);
      }
      const type = FIELDS[name].type;
      if (type === "choice") this._select(parent, name, config[name]);
      else if (type === "int_list") this._layers(parent);
      else if (type === "bool") this._bool(parent, name);
      else this._number(parent, name);
      if (name === "learning_rate") this._slider(parent);
    }
    if (this.groups.has("view")) {
      const fs = this._fieldset("view");
      fs.append(this._checkbox("network.show_grad", (on) => this.ctx.showGradients(on)));
      fs.append(document.createElement("br"), this._checkbox("chart.log", (on) => this.ctx.logChart(on)));
    }
  }

  // A group's fieldset; regularization folds away (rarely needed, and it takes room).
  _fieldset(group) {
    const fs = document.createElement("fieldset");
    this.form.append(fs);
    if (group !== "regularization") {
      const legend = document.createElement("legend");
      legend.textContent = this.tr(`controls.group.${group}`);
      fs.append(legend);
      return fs;
    }
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = this.tr(`controls.group.${group}`);
    const box = document.createElement("div");
    box.className = "bp-field";
    details.append(summary, box);
    fs.append(details);
    return box;
  }

  // "Más ajustes": a fold inside a group for the fields a first lesson does not need.
  _more(parent) {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = this.tr("controls.more");
    const box = document.createElement("div");
    box.className = "bp-field";
    details.append(summary, box);
    parent.append(details);
    return box;
  }

  _bool(parent, key) {
    const box = document.createElement("input");
    box.type = "checkbox";
    this._field(parent, key, box);
    box.addEventListener("change", () => this._send(key, box.checked));
  }

  // The learning rate on a logarithmic slider, beside its typed field.
  _slider(parent) {
    const range = document.createElement("input");
    range.type = "range";
    range.min = String(LR_SLIDER.min);
    range.max = String(LR_SLIDER.max);
    range.step = String(LR_SLIDER.step);
    range.className = "bp-slider";
    range.setAttribute("aria-label", this.tr("controls.lr_slider"));
    range.addEventListener("change", () => this._send("learning_rate", sliderRate(range.value)));
    this.fields.get("learning_rate").wrap.insertBefore(range, this.fields.get("learning_rate").error);
    this.lrSlider = range;
  }

  _checkbox(labelKey, onChange) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.addEventListener("change", () => onChange(box.checked));
    label.append(box, " ", this.tr(labelKey));
    return label;
  }

  // Show the widget's own refusal next to the field; true when there was one.
  _refuse(key, input, refusal) {
    if (!refusal) return false;
    const params = Object.fromEntries(Object.entries(refusal.params).map(([k, v]) => [k, inputText(v, this.ctx.lang)]));
    this.fields.get(key).error.textContent = this.tr(refusal.key, params);
    input.setAttribute("aria-invalid", "true");
    return true;
  }

  _renderLayers(hidden) {
    if (!this.layersBox) return;
    const key = JSON.stringify(hidden);
    if (this.hiddenSizes === key) return;
    this.hiddenSizes = key;
    this.layersBox.textContent = "";
    const lim = fieldLimits("hidden");
    hidden.forEach((n, i) => {
      const input = document.createElement("input");
      input.type = "number";
      input.min = String(lim.item_min);
      input.max = String(lim.item_max);
      input.step = "1";
      input.value = String(n);
      input.setAttribute("aria-label", this.tr("controls.neurons", { n: i + 1 }));
      input.addEventListener("change", () => {
        const next = [...hidden];
        next[i] = numericValue(input.value);
        if (this._refuse("hidden", input, checkLayerSize(next[i]))) return;
        input.removeAttribute("aria-invalid");
        this._send("hidden", next);
      });
      this.layersBox.append(input);
    });
    const button = (text, key, disabled, next) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", this.tr(`${key}.aria`));
      b.title = this.tr(key);
      b.disabled = disabled;
      b.addEventListener("click", () => this._send("hidden", next));
      return b;
    };
    this.layersBox.append(
      button("−", "controls.remove_layer", hidden.length === 0, removeLayer(hidden)),
      button("+", "controls.add_layer", hidden.length >= lim.max_length, addLayer(hidden)),
    );
  }

  async _send(key, value) {
    const field = this.fields.get(key);
    try {
      await this.ctx.setConfig({ [key]: value });
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
    for (const [key, { input, wrap }] of this.fields) {
      if (wrap) wrap.hidden = !fieldApplies(key, config);
      if (!input || input === active || input.getAttribute("aria-invalid") === "true") continue;
      if (config[key] === undefined) continue;
      if (input.type === "checkbox") {
        input.checked = config[key] === true;
        continue;
      }
      const v = config[key] === null ? "" : inputText(config[key], this.ctx.lang);
      if (input.value !== v) input.value = v;
    }
    if (this.lrSlider && typeof config.learning_rate === "number" && this.lrSlider !== active) {
      this.lrSlider.value = String(Math.log10(config.learning_rate));
    }
    if (Array.isArray(config.hidden)) this._renderLayers(config.hidden);
  }
}
