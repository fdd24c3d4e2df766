// The gradient-check panel: on demand, the engine's gradient_check (backpropagation against
// central differences) parameter by parameter, the worst relative error first and highlighted,
// and one sentence a learner can read.

import { el, table } from "../panels/dom.js";
import { formatNumber } from "../format.js";
import { runOnDemand } from "./on-demand.js";

// Below this the two derivatives agree (in float64 a correct backward pass stays below 1e-6
// except right at a ReLU or L1 kink, docs/engine.md).
export const GRADCHECK_TOLERANCE = 1e-5;
const ROWS = 12;

// The engine's result flattened to one row per parameter component, worst first:
// [{name, analytic, numeric, error}] with names like W1[2,1] (1-based, as on the diagram).
export function gradcheckRows(result) {
  const rows = [];
  for (const p of result?.parameters || []) {
    const walk = (a, n, e, index) => {
      if (Array.isArray(a)) a.forEach((v, k) => walk(v, n[k], e[k], [...index, k + 1]));
      else rows.push({ name: index.length ? `${p.name}[${index.join(",")}]` : p.name, analytic: a, numeric: n, error: e });
    };
    walk(p.analytic, p.numeric, p.relative_error, []);
  }
  return rows.sort((x, y) => (y.error ?? Infinity) - (x.error ?? Infinity));
}

export class GradCheckView {
  constructor(section, ctx) {
    this.ctx = ctx;
    const text = ctx.text;
    this.button = el("button", { text: text("gradcheck.run"), attrs: { type: "button" } });
    this.summary = el("p", { class: "bp-status", attrs: { role: "status" } });
    this.box = el("div", { class: "bp-table-wrap", attrs: { tabindex: "0", role: "group", "aria-label": text("gradcheck.table") } });
    section.append(el("p", { text: text("gradcheck.hint") }), this.button, this.summary, this.box);
    this.button.addEventListener("click", () => this.run());
    this.result = null;
  }

  run() {
    return runOnDemand(this.button, this.summary, () => this.ctx.call("gradient_check", {}), (result) => {
      this.result = result;
      this.render(result);
    });
  }

  render(result) {
    const { text, lang } = this.ctx;
    const rows = gradcheckRows(result);
    const worst = rows[0];
    const ok = typeof result.max_relative_error === "number" && result.max_relative_error < GRADCHECK_TOLERANCE;
    const error = formatNumber(result.max_relative_error, lang, 2);
    this.summary.textContent = ok ? text("gradcheck.ok", { error }) : text("gradcheck.bad", { error, name: worst?.name ?? "" });
    this.summary.dataset.status = ok ? "ok" : "bad";
    const shown = rows.slice(0, ROWS).map((r, k) => ({
      cells: [k === 0 ? `${r.name} (${text("gradcheck.worst")})` : r.name, formatNumber(r.analytic, lang, 6), formatNumber(r.numeric, lang, 6), formatNumber(r.error, lang, 2)],
      className: k === 0 ? "bp-worst" : "",
    }));
    const headers = ["gradcheck.col.param", "gradcheck.col.analytic", "gradcheck.col.numeric", "gradcheck.col.error"].map((k) => text(k));
    this.box.replaceChildren(table(headers, shown, text("gradcheck.caption", { samples: result.samples })));
    if (rows.length > ROWS) this.box.append(el("p", { class: "bp-legend", text: text("gradcheck.more", { n: rows.length - ROWS }) }));
  }

  // The check describes the network when it ran; a snapshot does not redo it (on demand only).
  draw() {}
}
