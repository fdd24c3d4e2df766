// The settings form's pure part: which config fields it offers and how, and the checks and
// conversions of what a reader types. Types, labels, choices, limits and groups come from the
// engine's contract (contract.js); nothing here touches the DOM.

import { CONTRACT } from "../contract.js";
import { parseDecimal } from "../format.js";

export const FIELDS = CONTRACT.config.fields;

// The config fields the form offers: every field of the contract but the page's language,
// grouped in fieldsets by their contract group.
export const FORM_FIELDS = CONTRACT.config.order.filter((n) => n !== "lang");

// Fields folded under "Más ajustes" in their group, so the default form stays calm.
export const ADVANCED_FIELDS = ["n_samples", "val_fraction", "seed", "negative_slope", "output_activation", "loss", "init",
  "init_gain", "init_seed", "momentum", "alpha", "beta1", "beta2", "eps"];

// An optimizer's hyper-parameters are offered only with the optimizers that read them (the
// schema's help says which: "For momentum and Nesterov", "For Adam", …).
export const OPTIMIZER_FIELDS = { momentum: ["momentum", "nesterov"], alpha: ["rmsprop"], beta1: ["adam"], beta2: ["adam"], eps: ["rmsprop", "adam"] };

// Whether field `name` applies to the config (hidden otherwise; its value stays).
export function fieldApplies(name, config) {
  if (OPTIMIZER_FIELDS[name]) return OPTIMIZER_FIELDS[name].includes(config.optimizer);
  if (name === "negative_slope") return [config.activation, ...(config.activations || []), config.output_activation].includes("leaky_relu");
  return true;
}

// Fields the form draws inside another field's control: the activation per layer sits in the
// hidden layers' rows.
export const NESTED_FIELDS = { activations: "hidden" };

// Each hidden layer's activation: the per-layer list, or the global activation for every layer.
export function layerActivations(config) {
  const hidden = config?.hidden || [];
  const own = config?.activations || [];
  return own.length === hidden.length && own.length ? [...own] : hidden.map(() => config?.activation);
}

// The partial config for new hidden sizes: per-layer activations, when set, follow the layers
// (a new layer takes the last one's, a removed layer's goes), so the engine sees one per layer.
export function layersPartial(config, hidden) {
  const own = config?.activations || [];
  if (!own.length) return { hidden };
  const acts = layerActivations(config).slice(0, hidden.length);
  while (acts.length < hidden.length) acts.push(acts.length ? acts[acts.length - 1] : config.activation);
  return { hidden, activations: acts };
}

// The partial config for layer i's activation (the others keep theirs).
export function activationPartial(config, i, name) {
  const acts = layerActivations(config);
  acts[i] = name;
  return { activations: acts };
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
export const FORM_GROUPS = [...new Set(CONTRACT.config.order.map((n) => FIELDS[n].group))];

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

