// One trace event → its formula with the engine's numbers substituted, as plain text in the
// reader's language ("z = 0,15·0,05 + 0,2·0,1 + 0,35 = 0,3775"). Per-example values are lists
// (one entry per example of the traced batch); `sample` picks one. Nothing is recomputed.

import { formatNumber } from "../format.js";

const MAX_SAMPLES_SHOWN = 3;

export const asList = (v) => (Array.isArray(v) ? v : [v]);

// The value of example `sample` of a per-example list, or the number itself.
export function pick(v, sample = 0) {
  return Array.isArray(v) ? v[Math.min(sample, v.length - 1)] : v;
}

// f(v): a number of the chosen example; p(v): the same in parentheses when negative (a factor).
export function formatters(lang, sample = 0) {
  const f = (v) => {
    const x = pick(v, sample);
    return typeof x === "number" ? formatNumber(x, lang) : "—";
  };
  const p = (v) => {
    const s = f(v);
    return s.startsWith("\u2212") ? `(${s})` : s;
  };
  return { f, p };
}

// Sums over examples or next-layer neurons show their first terms, then "…".
function terms(list, max, term) {
  const parts = list.slice(0, max).map(term);
  if (list.length > max) parts.push("…");
  return parts.join(" + ");
}

export function substitute(ev, lang = "es", sample = 0) {
  const fm = formatters(lang, sample);
  const { f, p } = fm;
  const T = ev.terms || {};
  const val = f(ev.value);
  switch (ev.kind) {
    case "z": {
      const inputs = pick(T.inputs, sample) || [];
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
      return gradientLine(ev, T, fm, sample) + ` = ${val}`;
    default: {
      const parts = Object.entries(T)
        .filter(([, v]) => typeof pick(v, sample) === "number")
        .slice(0, 4)
        .map(([k, v]) => `${k} = ${f(v)}`);
      return parts.length ? `${parts.join(", ")} → ${val}` : val;
    }
  }
}

// The left-hand side of the backward pass's lines and of the update.
function gradientLine(ev, T, { f, p }, sample) {
  switch (ev.kind) {
    case "grad_a": {
      if (Array.isArray(T.next_weights)) {
        // Hidden neuron: the error of the next layer comes back through its weights.
        const deltas = pick(T.next_deltas, sample) || [];
        return `∂L/∂a = ${terms(T.next_weights, 4, (w, k) => `${p(w)}·${p(deltas[k])}`)}`;
      }
      if (T.a !== undefined && T.y !== undefined) return `a = ${f(T.a)}, y = ${f(T.y)} → ∂L/∂a`;
      return "∂L/∂a";
    }
    case "grad_w": {
      // Σ over the examples: each term is one example's δ times its input.
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
