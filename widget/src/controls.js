// The settings form. Every field's type, label, choices and limits come from the engine's
// contract (contract.js, generated from the config schema); the widget only chooses which
// fields its form offers. Every change goes to the engine through setConfig; the engine
// validates and its refusal is shown next to the field (the network keeps its state).

import {
  FIELDS, FORM_FIELDS, FORM_GROUPS, CONTROL_GROUPS, ADVANCED_FIELDS, NESTED_FIELDS, LR_SLIDER, fieldApplies, sliderRate, fieldLimits, numericValue, inputText,
  checkWidgetLimit, checkLayerSize, addLayer, removeLayer, choiceLabel, layerActivations, layersPartial, activationPartial,
} from "./controls/fields.js";
import { WeightButtons } from "./controls/weights.js";

export * from "./controls/fields.js";

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
    this.folds = []; // "Más ajustes" folds: hidden when none of their fields applies
    form.addEventListener("submit", (e) => e.preventDefault());
    this.weights = new WeightButtons(form.getRootNode(), ctx, groups);
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
    // The global activation applies to every hidden layer (their own choices are dropped).
    const extra = key === "activation" ? { activations: [] } : {};
    select.addEventListener("change", () => this._send(key, select.value, extra));
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
    // The activation per layer sits in the layers' rows; its refusals show under them.
    const actError = document.createElement("div");
    actError.className = "bp-field-error";
    actError.setAttribute("aria-live", "polite");
    wrap.append(label, this.layersBox, error, actError);
    parent.append(wrap);
    this.fields.set("hidden", { input: null, error });
    this.fields.set("activations", { input: null, error: actError });
  }

  _build(config) {
    this.built = true;
    const sets = new Map();
    const more = new Map();
    // The main fields first, then each group's folded ones, so the fold closes its group.
    const ordered = [...FORM_FIELDS.filter((n) => !ADVANCED_FIELDS.includes(n)), ...FORM_FIELDS.filter((n) => ADVANCED_FIELDS.includes(n))];
    const shown = ordered.filter((n) => this.groups.has(FIELDS[n].group) && !NESTED_FIELDS[n]);
    // Fieldsets in the groups' order (data, network, learning, regularization), not the fields'.
    for (const group of CONTROL_GROUPS) {
      if (shown.some((n) => FIELDS[n].group === group)) sets.set(group, this._fieldset(group));
    }
    for (const name of shown) {
      const group = FIELDS[name].group;
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
    if (sets.has("data")) this._csv(this._more(sets.get("data"), "controls.csv"));
    if (this.groups.has("view")) {
      const fs = this._fieldset("view");
      fs.append(this._checkbox("network.show_grad", (on) => this.ctx.showGradients(on)));
      fs.append(this._checkbox("chart.log", (on) => this.ctx.logChart(on)));
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
  _more(parent, key = "controls.more") {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = this.tr(key);
    const box = document.createElement("div");
    box.className = "bp-field";
    details.append(summary, box);
    parent.append(details);
    if (key === "controls.more") this.folds.push({ details, box });
    return box;
  }

  // Pasted x1,x2,label rows go to the engine's load_csv; its line-numbered refusal shows below.
  _csv(parent) {
    const id = `bp-f${++fieldCounter}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = this.tr("controls.csv_help");
    const area = document.createElement("textarea");
    area.id = id;
    area.rows = 5;
    area.spellcheck = false;
    area.className = "bp-csv";
    const status = document.createElement("div");
    status.className = "bp-field-error";
    status.setAttribute("aria-live", "polite");
    area.setAttribute("aria-describedby", `${id}-err`);
    status.id = `${id}-err`;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = this.tr("controls.csv_load");
    button.addEventListener("click", async () => {
      try {
        const snap = await this.ctx.call("load_csv", { text: area.value });
        await this.ctx.refresh();
        status.textContent = this.tr("controls.csv_loaded", { n: snap?.data?.train?.x?.length ?? "" });
        status.className = "bp-field-note";
        area.removeAttribute("aria-invalid");
      } catch (e) {
        status.textContent = e.message;
        status.className = "bp-field-error";
        area.setAttribute("aria-invalid", "true");
      }
    });
    parent.append(label, area, button, status);
  }

  _bool(parent, key) {
    const box = document.createElement("input");
    box.type = "checkbox";
    this._field(parent, key, box);
    this.fields.get(key).wrap.classList.add("bp-field-check");
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
    label.className = "bp-check";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.addEventListener("change", () => onChange(box.checked));
    label.append(box, this.tr(labelKey));
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

  // One row per hidden layer: its size and its activation; then − and +.
  _renderLayers(config) {
    if (!this.layersBox) return;
    const hidden = config.hidden;
    const acts = layerActivations(config);
    const key = JSON.stringify([hidden, acts]);
    if (this.hiddenSizes === key) return;
    this.hiddenSizes = key;
    this.layersBox.textContent = "";
    hidden.forEach((n, i) => this.layersBox.append(this._layerRow(config, i, n, acts[i])));
    const lim = fieldLimits("hidden");
    const button = (text, key, disabled, next) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", this.tr(`${key}.aria`));
      b.title = this.tr(key);
      b.disabled = disabled;
      b.addEventListener("click", () => this._sendPartial("hidden", layersPartial(config, next)));
      return b;
    };
    const buttons = document.createElement("div");
    buttons.className = "bp-layer-buttons";
    buttons.append(
      button("−", "controls.remove_layer", hidden.length === 0, removeLayer(hidden)),
      button("+", "controls.add_layer", hidden.length >= lim.max_length, addLayer(hidden)),
    );
    this.layersBox.append(buttons);
  }

  _layerRow(config, i, size, activation) {
    const row = document.createElement("div");
    row.className = "bp-layer";
    const name = document.createElement("span");
    name.className = "bp-layer-name";
    name.textContent = this.tr("controls.layer", { n: i + 1 });
    const lim = fieldLimits("hidden");
    const input = document.createElement("input");
    input.type = "number";
    input.min = String(lim.item_min);
    input.max = String(lim.item_max);
    input.step = "1";
    input.value = String(size);
    input.setAttribute("aria-label", this.tr("controls.neurons", { n: i + 1 }));
    input.addEventListener("change", () => {
      const next = [...config.hidden];
      next[i] = numericValue(input.value);
      if (this._refuse("hidden", input, checkLayerSize(next[i]))) return;
      input.removeAttribute("aria-invalid");
      this._sendPartial("hidden", { hidden: next });
    });
    const select = document.createElement("select");
    for (const v of fieldLimits("activations").choices) {
      const o = document.createElement("option");
      o.value = v;
      o.textContent = choiceLabel("activations", v, this.ctx.lang);
      select.append(o);
    }
    select.value = activation;
    select.setAttribute("aria-label", this.tr("controls.layer_activation", { n: i + 1 }));
    select.title = FIELDS.activations.help[this.ctx.lang];
    select.addEventListener("change", () => this._sendPartial("activations", activationPartial(config, i, select.value), select));
    row.append(name, input, select);
    return row;
  }

  _send(key, value, extra = {}) {
    return this._sendPartial(key, { [key]: value, ...extra });
  }

  // The engine's refusal shows under the field `key` (or the field it names, e.g. the
  // activations of a new layer) and marks `input` (default: the field's own control).
  async _sendPartial(key, partial, input = this.fields.get(key)?.input) {
    const field = this.fields.get(key);
    try {
      await this.ctx.setConfig(partial);
      for (const name of Object.keys(partial)) this._clear(name);
      if (input) input.removeAttribute("aria-invalid");
    } catch (e) {
      const named = this.fields.get(e.field) && e.field in partial ? this.fields.get(e.field) : field;
      if (named) named.error.textContent = e.message;
      if (input) input.setAttribute("aria-invalid", "true");
    }
  }

  _clear(key) {
    const field = this.fields.get(key);
    if (!field) return;
    field.error.textContent = "";
    if (field.input) field.input.removeAttribute("aria-invalid");
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
    for (const { details, box } of this.folds) details.hidden = ![...box.children].some((w) => !w.hidden);
    if (this.lrSlider && typeof config.learning_rate === "number" && this.lrSlider !== active) {
      this.lrSlider.value = String(Math.log10(config.learning_rate));
    }
    if (Array.isArray(config.hidden)) this._renderLayers(config);
    this.weights.update(config);
  }
}
