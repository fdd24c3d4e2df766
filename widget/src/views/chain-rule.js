// The chain-rule panel: the pinned weight or bias, every path from it to the loss with its
// factors (symbol and value) and their product, the sum over the paths, and the engine's own
// ∂L/∂w beside it. The engine's chain_rule command lists the paths and multiplies them; this
// panel only writes them out. Hovering or focusing a path lights it on the diagram; the value
// field edits the parameter (validated by the engine).

import { formatNumber, parseDecimal } from "../format.js";
import { renderMath } from "../mathml.js";
import { make, button } from "../steps/dom.js";
import { layerName } from "./network.js";
import { paramOf } from "./network-edit.js";

// The element's chainRule() result: {paths: [{nodes, factors, product}], sum, gradient}, plus
// the per-example values the engine also gives.
export function chainRuleResult(reply) {
  return {
    param: reply.param,
    paths: (reply.paths || []).map((p) => ({ nodes: p.nodes, factors: p.factors, product: p.product, products: p.products, output: p.output })),
    sum: reply.sum,
    sums: reply.sums,
    gradient: reply.gradient,
    n_paths: reply.n_paths,
    indices: reply.indices,
  };
}

// One path as a line: "∂L/∂a⁽²⁾₀ · ∂a⁽²⁾₀/∂z⁽²⁾₀ · … = product" with the example's values.
export function pathLines(path, lang, k = null) {
  const value = (f) => (k === null ? mean(f.values) : f.values[k]);
  const product = k === null ? path.product : path.products?.[k];
  return {
    symbolic: path.factors.map((f) => f.symbol).join(" · "),
    numbers: `${path.factors.map((f) => paren(formatNumber(value(f), lang))).join(" · ")} = ${formatNumber(product, lang)}`,
  };
}

function mean(values) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function paren(s) {
  return s.startsWith("\u2212") ? `(${s})` : s;
}

// ctx: tr, lang, call(), indices() (the traced examples, or null), edit(param, value),
// pathsChanged() (redraw the diagram), notify().
export class ChainRulePanel {
  constructor(section, ctx) {
    this.ctx = ctx;
    this.section = section;
    this.param = null;
    this.result = null;
    this.lit = null; // the paths lit on the diagram
    this.example = null; // null: the mean over the examples
    const { tr } = ctx;
    this.el = {
      title: make("h3", { text: tr("chain.title") }),
      hint: make("p", { class: "bp-step-hint", text: tr("chain.hint") }),
      name: make("p", { class: "bp-chain-name bp-chain-sum" }),
      input: make("input", { attrs: { type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false" } }),
      error: make("p", { class: "bp-chain-error", attrs: { role: "alert" } }),
      intro: make("p", {}),
      example: make("select", { on: { change: () => this.chooseExample() } }),
      paths: make("ol", { class: "bp-chain-paths" }),
      sum: make("p", { class: "bp-chain-sum" }),
      gradient: make("p", { class: "bp-chain-sum" }),
    };
    const el = this.el;
    const inputId = `bp-chain-value-${Math.random().toString(36).slice(2, 8)}`;
    el.input.id = inputId;
    el.input.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); this.apply(); } });
    el.exampleLabel = make("label", {}, make("span", { text: tr("chain.show") }), el.example);
    el.form = make("div", { class: "bp-chain-edit" },
      make("label", { text: tr("chain.value"), attrs: { for: inputId } }), el.input, button(tr, "chain.apply", () => this.apply()));
    el.body = make("div", {}, el.name, el.form, el.error, el.intro, el.exampleLabel, el.paths, el.sum, el.gradient);
    el.body.hidden = true;
    section.replaceChildren(el.title, el.hint, el.body);
  }

  async pin(param) {
    this.param = param;
    this.el.error.textContent = "";
    this.el.input.removeAttribute("aria-invalid");
    await this.refresh();
  }

  // Ask the engine again (a new step, an edit, the replay crossed the update).
  async refresh() {
    if (!this.param) return;
    const { layer, j, i } = this.param;
    const args = { layer, j, indices: this.ctx.indices?.() ?? undefined };
    if (i !== null) args.i = i;
    try {
      this.result = chainRuleResult(await this.ctx.call("chain_rule", args));
    } catch (e) {
      this.result = null;
      this.el.body.hidden = false;
      this.el.paths.replaceChildren();
      this.el.error.textContent = e.message;
      return;
    }
    this.render();
  }

  chooseExample() {
    const v = this.el.example.value;
    this.example = v === "mean" ? null : Number(v);
    this.render();
  }

  async apply() {
    const text = this.el.input.value;
    const n = parseDecimal(text);
    try {
      // The stepper traces the step again and then asks this panel to refresh.
      await this.ctx.edit(this.param, n === null ? text : n, this.result ? this.name(this.result.param) : "");
      this.el.error.textContent = "";
      this.el.input.removeAttribute("aria-invalid");
    } catch (e) {
      this.el.error.textContent = e.message;
      this.el.input.setAttribute("aria-invalid", "true");
    }
  }

  light(paths) {
    this.lit = paths;
    this.ctx.pathsChanged();
  }

  render() {
    const r = this.result;
    if (!r) return;
    const { tr, lang } = this.ctx;
    const el = this.el;
    el.body.hidden = false;
    el.name.textContent = this.name(r.param);
    if (this.ctx.root?.activeElement !== el.input) el.input.value = formatNumber(r.param.value, lang, 12);
    el.intro.textContent = tr("chain.paths", { n: r.n_paths });
    this.renderExamples(r);
    const k = this.example;
    el.paths.replaceChildren(...r.paths.map((p, n) => this.pathItem(p, n, k)));
    const sum = k === null ? r.sum : r.sums[k];
    el.sum.textContent = tr("chain.sum", { n: r.n_paths, value: formatNumber(sum, lang, 10) });
    el.gradient.textContent = tr("chain.gradient", { value: formatNumber(r.gradient, lang, 10) });
    el.gradient.hidden = k !== null;
    this.light({ paths: r.paths });
  }

  renderExamples(r) {
    const { tr } = this.ctx;
    const many = (r.indices?.length || 0) > 1;
    this.el.exampleLabel.hidden = !many;
    if (!many) {
      this.example = null;
      return;
    }
    const options = [["mean", tr("chain.mean")], ...r.indices.map((idx, k) => [String(k), tr("chain.example", { n: idx + 1 })])];
    this.el.example.replaceChildren(...options.map(([v, t]) => make("option", { text: t, attrs: { value: v } })));
    this.el.example.value = this.example === null ? "mean" : String(this.example);
  }

  pathItem(p, n, k) {
    const { lang, tr } = this.ctx;
    const { symbolic, numbers } = pathLines(p, lang, k);
    const li = make("li", { attrs: { tabindex: "0", "aria-label": `${tr("chain.path", { n: n + 1 })}: ${symbolic} = ${numbers}` } },
      make("div", { class: "bp-math", attrs: { "aria-hidden": "true" } }, renderMath(symbolic, document)),
      make("div", { class: "bp-chain-values", text: numbers, attrs: { "aria-hidden": "true" } }));
    const only = () => this.light({ paths: [p] });
    const all = () => this.light({ paths: this.result?.paths || [] });
    for (const [on, f] of [["mouseenter", only], ["focus", only], ["mouseleave", all], ["blur", all]]) li.addEventListener(on, f);
    return li;
  }

  name(param) {
    const { tr } = this.ctx;
    const L = this.ctx.snapshot()?.network?.sizes?.length || 0;
    const where = { j: param.neuron + 1, layer: layerName(tr, param.layer, L) };
    // From an input, the feature's name, as the diagram writes it.
    const feature = param.layer === 1 ? this.ctx.snapshot()?.data?.feature_names?.[param.source] : null;
    if (param.kind === "weight" && feature) return tr("chain.weight_input", { ...where, from: feature });
    if (param.kind === "weight") return tr("chain.weight", { ...where, i: param.source + 1, prev: layerName(tr, param.layer - 1, L) });
    return tr("chain.bias", where);
  }
}
