// The autograd panel (unit 11): the computational graph of one neuron on one training example,
// built by the engine's `autograd` command (a reverse-mode autodiff over scalars), as a table in
// forward order: each node's symbol, operation, value and gradient ∂L/∂node. The backward pass
// is replayed node by node in the engine's own backward order; this view reveals numbers, it
// never computes one.

import { el, table } from "../panels/dom.js";
import { formatNumber } from "../format.js";

// What a gradient cell shows until the backward replay reaches its node.
const HIDDEN = "…";

// The engine's reply → rows in forward order with the step (0-based) at which the backward
// replay reveals each node's gradient.
export function graphRows(result) {
  const byId = new Map((result?.nodes || []).map((n) => [n.id, n]));
  const step = new Map((result?.backward || []).map((id, k) => [id, k]));
  return (result?.forward || []).map((id) => ({ ...byId.get(id), step: step.get(id) }));
}

export class AutogradView {
  constructor(section, ctx) {
    this.ctx = ctx;
    const text = ctx.text;
    this.build = el("button", { text: text("autograd.build"), attrs: { type: "button" } });
    this.next = el("button", { text: text("autograd.next"), attrs: { type: "button", disabled: "" } });
    this.all = el("button", { text: text("autograd.all"), attrs: { type: "button", disabled: "" } });
    this.status = el("p", { class: "bp-status", attrs: { role: "status" } });
    this.box = el("div", { class: "bp-table-wrap", attrs: { tabindex: "0", role: "region", "aria-label": text("panel.grafo") } });
    section.append(el("p", { text: text("autograd.hint") }), el("p", {}, this.build, " ", this.next, " ", this.all), this.status, this.box);
    this.build.addEventListener("click", () => this.run());
    this.next.addEventListener("click", () => this.reveal(this.shown + 1));
    this.all.addEventListener("click", () => this.reveal(this.rows.length));
    this.result = null;
    this.rows = [];
    this.shown = 0;
  }

  // The graph of the first hidden layer's first neuron, on the next mini-batch's first example.
  async run() {
    this.build.disabled = true;
    try {
      this.result = await this.ctx.call("autograd", { layer: 1, j: 0 });
      this.rows = graphRows(this.result);
      this.reveal(0);
    } catch (e) {
      this.status.textContent = e.message;
      this.status.dataset.status = "bad";
    } finally {
      this.build.disabled = false;
    }
  }

  // Show the gradients of the first `count` nodes of the backward order.
  reveal(count) {
    const { text, lang } = this.ctx;
    this.shown = Math.min(count, this.rows.length);
    const current = this.shown - 1;
    const cells = this.rows.map((r) => ({
      cells: [r.symbol, r.label, formatNumber(r.value, lang, 6), r.step < this.shown ? formatNumber(r.grad, lang, 6) : HIDDEN],
      className: r.step === current ? "bp-worst" : "",
    }));
    const headers = ["autograd.col.node", "autograd.col.op", "autograd.col.value", "autograd.col.grad"].map((k) => text(k));
    const caption = text("autograd.caption", { nodes: this.rows.length, example: (this.result?.index ?? 0) + 1, loss: formatNumber(this.result?.loss, lang, 6) });
    this.box.replaceChildren(table(headers, cells, caption));
    const node = this.rows.find((r) => r.step === current);
    this.status.dataset.status = "ok";
    this.status.textContent = node
      ? text("autograd.at", { k: this.shown, n: this.rows.length, symbol: node.symbol, grad: formatNumber(node.grad, lang, 6) })
      : text("autograd.start", { n: this.rows.length });
    const done = this.shown >= this.rows.length;
    this.next.disabled = done;
    this.all.disabled = done;
  }

  // Built on the first opening; later the reader rebuilds it with the current weights.
  draw() {
    if (!this.result && !this.build.disabled) this.run();
  }
}
