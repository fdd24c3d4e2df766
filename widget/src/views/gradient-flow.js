// The gradient-flow panel: per layer, the gradient norm and the update/weight ratio over the
// epochs (logarithmic axes, from the engine's snapshot.flow), this epoch's numbers with the
// dead and saturated neurons (snapshot.diagnostics), and the optimizer's state of the weight
// selected on the diagram (snapshot.network.optimizer). Every number is the engine's.

import { el, table } from "../panels/dom.js";
import { drawLogLines } from "./log-lines.js";
import { FlowFixes } from "./flow-fixes.js";
import { layerName } from "./network.js";
import { CLASS_COLORS } from "../colors.js";
import { formatNumber } from "../format.js";

// Layer k's colour (Okabe–Ito, so neighbouring layers stay distinguishable).
export function layerColor(k) {
  return CLASS_COLORS[k % CLASS_COLORS.length];
}

// snapshot.flow → {epochs, norms: [series per layer], ratios: [series per layer]}.
export function flowSeries(flow) {
  const epochs = Array.isArray(flow?.epoch) ? flow.epoch : [];
  const rows = (key) => (Array.isArray(flow?.[key]) ? flow[key] : []);
  const layers = Math.max(0, ...rows("grad_norm").map((r) => r.length));
  const column = (key, k) => rows(key).map((r) => r?.[k] ?? null);
  return {
    epochs,
    norms: Array.from({ length: layers }, (_, k) => column("grad_norm", k)),
    ratios: Array.from({ length: layers }, (_, k) => column("update_ratio", k)),
  };
}

// Dead ReLU and saturated units of the diagnostics, as diagram marks [{layer, j, kind}].
export function unitMarks(diagnostics) {
  const marks = [];
  for (const entry of diagnostics?.layers || []) {
    for (const j of entry.dead_units || []) marks.push({ layer: entry.layer, j, kind: "dead" });
    for (const j of entry.saturated_units || []) marks.push({ layer: entry.layer, j, kind: "saturated" });
  }
  return marks;
}

// The optimizer's state entries of weight W[layer][j][i] (layer: source layer, as the diagram's
// edges): [{key, value}], [] for a stateless optimizer, null if the weight is not found.
export function weightState(optimizer, sel) {
  if (!optimizer || !sel) return null;
  const idx = (optimizer.parameter_names || []).indexOf(`W${sel.layer + 1}`);
  if (idx < 0) return null;
  return Object.entries(optimizer.state || {}).map(([key, arrays]) => ({ key, value: arrays?.[idx]?.[sel.j]?.[sel.i] ?? null }));
}

export class GradientFlowView {
  constructor(section, ctx) {
    this.ctx = ctx;
    const text = ctx.text;
    this.status = el("p", { class: "bp-status", attrs: { role: "status" } });
    this.empty = el("p", { text: text("flow.empty") });
    const chart = (key) => {
      const canvas = el("canvas", { attrs: { role: "img", "aria-label": text(`${key}.aria`) } });
      return { canvas, figure: el("figure", {}, el("figcaption", { text: `${text(key)} (${text("flow.log")})` }), canvas) };
    };
    this.norm = chart("flow.norm");
    this.ratio = chart("flow.ratio");
    this.keys = el("div", { class: "bp-legend" });
    this.tableBox = el("div", { class: "bp-table-wrap", attrs: { tabindex: "0", role: "group", "aria-label": text("flow.table") } });
    this.optimizer = el("div", { class: "bp-optimizer", attrs: { "aria-live": "polite" } });
    this.fixes = new FlowFixes(ctx); // unit 8's fixes as toggles, shown for a sick gradient
    section.append(this.status, this.fixes.element, this.empty, el("div", { class: "bp-extra-grid" }, this.norm.figure, this.ratio.figure),
      this.keys, this.tableBox, el("p", { class: "bp-legend", text: text("flow.marked") }),
      el("h4", { text: text("flow.optimizer") }), this.optimizer);
    this.marks = [];
  }

  markedUnits() {
    return this.marks;
  }

  draw(snap) {
    const { text, lang } = this.ctx;
    const net = snap.network;
    const L = net?.sizes?.length || 0;
    const names = Array.from({ length: Math.max(0, L - 1) }, (_, k) => layerName(this.ctx.tr, k + 1, L));
    const diag = snap.diagnostics || {};
    const status = diag.gradient_status || "ok";
    this.status.textContent = text(`flow.status.${status}`);
    this.status.dataset.status = status;
    this.fixes.draw(snap);
    const { epochs, norms, ratios } = flowSeries(snap.flow);
    const colors = names.map((_, k) => layerColor(k));
    const theme = this.ctx.colors();
    const drawn = drawLogLines(this.norm.canvas, epochs, norms, colors, theme, lang);
    drawLogLines(this.ratio.canvas, epochs, ratios, colors, theme, lang);
    this.empty.hidden = drawn && epochs.length > 1;
    this._keys(names, colors);
    this._table(names, diag.layers || []);
    this.marks = unitMarks(diag);
    this._optimizer(snap);
  }

  _keys(names, colors) {
    const label = names.join("|");
    if (this.keysLabel === label) return;
    this.keysLabel = label;
    this.keys.textContent = "";
    names.forEach((name, k) => {
      const swatch = el("span", { class: "bp-key", attrs: { "aria-hidden": "true" } });
      swatch.style.backgroundColor = colors[k]; // CSSOM, not a style attribute
      this.keys.append(el("span", {}, swatch, name));
    });
  }

  _table(names, layers) {
    const { text, lang } = this.ctx;
    const units = (e) => {
      const parts = [];
      if (e.dead_units?.length) parts.push(text("flow.dead", { n: e.dead_units.length, units: e.units }));
      if (e.saturated_units?.length) parts.push(text("flow.saturated", { n: e.saturated_units.length, units: e.units }));
      return parts.length ? parts.join(", ") : text("flow.healthy");
    };
    const rows = layers.map((e, k) => {
      const row = { cells: [names[k] ?? String(e.layer), formatNumber(e.grad_norm, lang), formatNumber(e.update_ratio, lang), units(e)] };
      if (e.dead_units?.length || e.saturated_units?.length) row.className = "bp-flagged";
      return row;
    });
    this.tableBox.replaceChildren(table(["flow.col.layer", "flow.col.norm", "flow.col.ratio", "flow.col.units"].map((k) => text(k)), rows));
  }

  _optimizer(snap) {
    const { text, lang } = this.ctx;
    const net = snap.network || {};
    const sel = this.ctx.selectedWeight?.();
    const edge = sel && sel.kind === "edge" ? sel : null;
    const entries = weightState(net.optimizer, edge);
    if (!edge || entries === null) {
      this.optimizer.replaceChildren(el("p", { text: text("flow.optimizer.none") }));
      return;
    }
    const value = net.weights?.[edge.layer]?.[edge.j]?.[edge.i];
    const grad = net.grad_weights?.[edge.layer]?.[edge.j]?.[edge.i];
    const name = `w${edge.layer + 1}[${edge.j + 1}, ${edge.i + 1}]`;
    const head = el("p", { text: text("flow.optimizer.weight", { name, value: formatNumber(value, lang), grad: formatNumber(grad, lang) }) });
    if (!entries.length) {
      this.optimizer.replaceChildren(head, el("p", { text: text("flow.optimizer.stateless") }));
      return;
    }
    const dl = el("dl");
    for (const { key, value: v } of entries) dl.append(el("dt", { text: text(`flow.state.${key}`) }), el("dd", { text: formatNumber(v, lang), attrs: { "data-key": key } }));
    this.optimizer.replaceChildren(head, dl);
  }
}
