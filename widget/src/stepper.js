// Step-by-step mode: replays the engine's trace events of one training step one at a time,
// each with its label, its formula and the numbers substituted, and highlights the neuron or
// weight on the diagram. The numbers come from the event; nothing is recomputed here.

import { formatNumber } from "./format.js";
import { CONTRACT } from "./contract.js";
import { layerName } from "./views/network.js";

const MAX_SAMPLES_SHOWN = 3;

// The diagram element an event belongs to: a neuron {layer, j} or a weight edge
// {layer: index of the weight matrix, i: source, j: target}.
export function eventTarget(ev) {
  if (!ev || typeof ev.layer !== "number") return {};
  if (typeof ev.source === "number" && typeof ev.neuron === "number") {
    return { edge: { layer: ev.layer - 1, i: ev.source, j: ev.neuron } };
  }
  if (typeof ev.neuron === "number") return { node: { layer: ev.layer, j: ev.neuron } };
  return {};
}

function first(v) {
  return Array.isArray(v) ? v[0] : v;
}

// Number formatters for one language: f(v) a number (the first sample's), p(v) the same in
// parentheses when negative, for use as a factor.
function formatters(lang) {
  const f = (v) => {
    const x = first(v);
    return typeof x === "number" ? formatNumber(x, lang) : "—";
  };
  const p = (v) => {
    const s = f(v);
    return s.startsWith("-") || s.startsWith("−") ? `(${s})` : s;
  };
  return { f, p };
}

// Sums over samples or next-layer neurons show their first terms, then "…".
function terms(list, max, term) {
  const parts = list.slice(0, max).map(term);
  if (list.length > max) parts.push("…");
  return parts.join(" + ");
}

const asList = (v) => (Array.isArray(v) ? v : [v]);

// One event → the line with its numbers substituted, formatted for the reader's language.
export function substitute(ev, lang = "es") {
  const { f, p } = formatters(lang);
  const T = ev.terms || {};
  const val = f(ev.value);
  switch (ev.kind) {
    case "z": {
      const inputs = first(T.inputs) || [];
      const parts = (T.weights || []).map((w, i) => `${p(w)}·${p(inputs[i])}`);
      return `z = ${parts.join(" + ")} + ${p(T.bias)} = ${val}`;
    }
    case "a":
      return `z = ${f(T.z)} → a = ${val}`;
    case "loss":
    case "loss_after":
      return `L = ${val}`;
    case "da_dz":
      return `z = ${f(T.z)}, a = ${f(T.a)} → ∂a/∂z = ${val}`;
    case "delta":
      return `δ = ${p(T.grad_a)} · ${p(T.da_dz)} = ${val}`;
    case "grad_a":
    case "grad_w":
    case "grad_b":
    case "update":
      return gradientLine(ev, T, { f, p }) + ` = ${val}`;
    default: {
      const parts = Object.entries(T)
        .filter(([, v]) => typeof first(v) === "number")
        .slice(0, 4)
        .map(([k, v]) => `${k} = ${f(v)}`);
      return parts.length ? `${parts.join(", ")} → ${val}` : val;
    }
  }
}

// The left-hand side of the backward pass's lines and of the update.
function gradientLine(ev, T, { f, p }) {
  switch (ev.kind) {
    case "grad_a": {
      if (Array.isArray(T.next_weights)) {
        // Hidden neuron: the error of the next layer comes back through its weights.
        const deltas = first(T.next_deltas) || [];
        return `∂L/∂a = ${terms(T.next_weights, 4, (w, k) => `${p(w)}·${p(deltas[k])}`)}`;
      }
      if (T.a !== undefined && T.y !== undefined) return `a = ${f(T.a)}, y = ${f(T.y)} → ∂L/∂a`;
      return "∂L/∂a";
    }
    case "grad_w": {
      const a = asList(T.a_prev);
      return `∂L/∂w = ${terms(asList(T.delta), MAX_SAMPLES_SHOWN, (d, k) => `${p(d)}·${p(a[k])}`)}`;
    }
    case "grad_b":
      return `∂L/∂b = ${terms(asList(T.delta), MAX_SAMPLES_SHOWN, (d) => p(d))}`;
    default: {
      const name = String(ev.param || "w").startsWith("b") ? "b" : "w";
      const plain = ["old", "grad", "g", "learning_rate", "step", "l1_term", "l2_term"];
      if (typeof T.g === "number" && typeof T.learning_rate === "number" && Object.keys(T).every((k) => plain.includes(k))) {
        return `${name} ← ${f(T.old)} − ${p(T.learning_rate)}·${p(T.g)}`;
      }
      return `${name} ← ${f(T.old)} − ${p(T.step)}`;
    }
  }
}

// The i18n key that says where an event happens (which phase, which neuron or weight).
export function whereKey(ev) {
  switch (ev?.kind) {
    case "z": return "step.forward_z";
    case "a": return "step.forward_a";
    case "loss": return "step.loss";
    case "grad_a": return "step.grad_a";
    case "da_dz": return "step.da_dz";
    case "delta": return "step.delta";
    case "grad_w": return "step.grad_w";
    case "grad_b": return "step.grad_b";
    case "update": return typeof ev.source === "number" ? "step.update_w" : "step.update_b";
    default: return null;
  }
}

// ctx: the view context the element builds: tr, lang, snapshot(), call(), refresh(), and
// highlightChanged() (redraw the diagram's mark for highlight()).
// The label of a trace event. The engine's event labels are more specific than one per kind
// but still Spanish; other languages get the engine's label of the event's kind (contract).
// TODO(issue 7): once trace events carry labels in the session's `lang`, show ev.label always.
export function traceLabel(ev, lang) {
  if (lang === "es" && ev.label) return ev.label;
  return CONTRACT.labels.trace[ev.kind]?.[lang] ?? ev.label ?? ev.kind;
}

export class Stepper {
  constructor(section, ctx) {
    this.section = section;
    this.ctx = ctx;
    this.events = [];
    this.index = -1;
    this.sample = 0;
    this.busy = false;
    section.innerHTML = `
      <h3 class="bp-step-title"></h3>
      <p class="bp-step-counter" aria-live="polite"></p>
      <p class="bp-step-where"></p>
      <p class="bp-step-label"></p>
      <div class="bp-formula"></div>
      <div class="bp-numbers"></div>
      <div class="bp-buttons" style="margin-top:8px">
        <button type="button" class="bp-prev"></button>
        <button type="button" class="bp-next bp-primary"></button>
      </div>`;
    const $ = (s) => section.querySelector(s);
    this.el = { title: $(".bp-step-title"), counter: $(".bp-step-counter"), where: $(".bp-step-where"), label: $(".bp-step-label"), formula: $(".bp-formula"), numbers: $(".bp-numbers"), prev: $(".bp-prev"), next: $(".bp-next") };
    this.el.title.textContent = ctx.tr("step.title");
    this.el.prev.textContent = ctx.tr("step.prev");
    this.el.prev.setAttribute("aria-label", ctx.tr("step.prev.aria"));
    this.el.next.textContent = ctx.tr("step.next");
    this.el.next.setAttribute("aria-label", ctx.tr("step.next.aria"));
    this.el.prev.addEventListener("click", () => this.go(-1));
    this.el.next.addEventListener("click", () => this.go(1).catch(() => {}));
    this.render();
  }

  // Forget the replayed step (after a reset or a config change); the next "Siguiente" traces anew.
  load() {
    this.events = [];
    this.index = -1;
    this.render();
  }

  highlight() {
    return this.index >= 0 ? eventTarget(this.events[this.index]) : null;
  }

  async go(dir) {
    if (this.busy) return;
    if (dir < 0) {
      if (this.index > 0) this.index--;
      this.render();
      return;
    }
    if (this.index + 1 < this.events.length) {
      this.index++;
      this.render();
      return;
    }
    // Past the last event: the engine does the next step and records every number of it.
    this.busy = true;
    try {
      const n = this.ctx.snapshot()?.data?.train?.x?.length || 1;
      const indices = [this.sample % n];
      this.sample++;
      const reply = await this.ctx.call("trace", { indices });
      const trace = reply?.trace || reply;
      this.events = Array.isArray(trace?.events) ? trace.events : [];
      this.indices = Array.isArray(trace?.indices) ? trace.indices : indices;
      this.index = this.events.length ? 0 : -1;
      await this.ctx.refresh();
    } finally {
      this.busy = false;
      this.render();
    }
  }

  render() {
    const { tr, lang } = this.ctx;
    const ev = this.events[this.index];
    this.el.prev.disabled = this.index <= 0;
    if (!ev) {
      this.el.counter.textContent = "";
      this.el.where.textContent = "";
      this.el.label.textContent = tr("step.start");
      this.el.formula.textContent = "";
      this.el.numbers.textContent = "";
    } else {
      const sample = this.indices?.length === 1 ? ` · ${tr("step.sample", { n: this.indices[0] + 1 })}` : "";
      this.el.counter.textContent = tr("step.counter", { i: this.index + 1, n: this.events.length }) + sample;
      const key = whereKey(ev);
      const L = (this.ctx.snapshot()?.network?.sizes || []).length;
      const name = (l) => layerName(tr, l, L);
      this.el.where.textContent = key ? tr(key, {
        j: (ev.neuron ?? 0) + 1, layer: name(ev.layer), i: (ev.source ?? 0) + 1, prev: name((ev.layer ?? 1) - 1),
      }) : "";
      this.el.label.textContent = traceLabel(ev, lang);
      this.el.formula.textContent = ev.formula || "";
      this.el.numbers.textContent = substitute(ev, lang);
    }
    this.ctx.highlightChanged();
  }
}
