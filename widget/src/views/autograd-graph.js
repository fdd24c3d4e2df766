// The autograd panel (unit 11): the computational graph of one neuron on one training example,
// built by the engine's `autograd` command (a reverse-mode autodiff over scalars), drawn as
// boxes left → right by depth with their edges, each with its value and, once the backward
// replay reaches it, its gradient ∂L/∂node. The replay steps node by node in the engine's own
// backward order, back and forth (buttons, or the arrow keys on the drawing); the node just
// reached is highlighted with the edges its gradient came through. The same numbers are in a
// table under "Tabla de nodos", the text alternative for screen readers. This view reveals
// numbers, it never computes one.

import { el, table } from "../panels/dom.js";
import { formatNumber } from "../format.js";
import { graphLayout } from "./autograd-layout.js";
import { runOnDemand } from "./on-demand.js";
import { textScale } from "./text-scale.js";

// What a gradient shows until the backward replay reaches its node.
const HIDDEN = "…";
const SVG = "http://www.w3.org/2000/svg";
// Box and gap sizes in CSS pixels (the drawing scrolls sideways on a narrow screen).
const BOX = { h: 58, gapX: 30, gapY: 14, pad: 8, minW: 96, charW: 7.2 };

// The engine's reply → rows in forward order with the step (0-based) at which the backward
// replay reveals each node's gradient.
export function graphRows(result) {
  const byId = new Map((result?.nodes || []).map((n) => [n.id, n]));
  const step = new Map((result?.backward || []).map((id, k) => [id, k]));
  return (result?.forward || []).map((id) => ({ ...byId.get(id), step: step.get(id) }));
}

// Where node `id`'s gradient comes from: one term per node it feeds, that node's gradient and
// the local derivative of the edge ({symbol, grad, local}); [] for the loss itself.
export function chainTerms(result, id) {
  const byId = new Map((result?.nodes || []).map((n) => [n.id, n]));
  return (result?.edges || []).filter((e) => e.from === id)
    .map((e) => ({ symbol: byId.get(e.to)?.symbol, grad: byId.get(e.to)?.grad, local: e.local }));
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export class AutogradView {
  constructor(section, ctx) {
    this.ctx = ctx;
    const text = ctx.text;
    const button = (key, attrs = {}) => el("button", { text: text(key), attrs: { type: "button", ...attrs } });
    this.build = button("autograd.build");
    this.prev = button("autograd.prev", { disabled: "" });
    this.next = button("autograd.next", { disabled: "" });
    this.all = button("autograd.all", { disabled: "" });
    this.status = el("p", { class: "bp-status", attrs: { role: "status" } });
    this.chain = el("p", { class: "bp-chain-line" });
    this.figure = el("div", { class: "bp-table-wrap bp-graph", attrs: { tabindex: "0", role: "group", "aria-label": text("autograd.figure") } });
    this.legend = el("p", { class: "bp-legend", text: text("autograd.legend") });
    this.box = el("div", { class: "bp-table-wrap", attrs: { tabindex: "0", role: "group", "aria-label": text("autograd.table") } });
    this.details = el("details", {}, el("summary", { text: text("autograd.table") }), this.box);
    section.append(el("p", { text: text("autograd.hint") }), el("p", { class: "bp-graph-buttons" }, this.build, " ", this.prev, " ", this.next, " ", this.all),
      this.status, this.chain, this.figure, this.legend, this.details);
    this.build.addEventListener("click", () => this.run());
    this.prev.addEventListener("click", () => this.reveal(this.shown - 1));
    this.next.addEventListener("click", () => this.reveal(this.shown + 1));
    this.all.addEventListener("click", () => this.reveal(this.rows.length));
    this.figure.addEventListener("keydown", (e) => this._key(e));
    this.result = null;
    this.rows = [];
    this.shown = 0;
  }

  // The graph of the first hidden layer's first neuron, on the next mini-batch's first example.
  run() {
    return runOnDemand(this.build, this.status, () => this.ctx.call("autograd", { layer: 1, j: 0 }), (result) => {
      this.result = result;
      this.rows = graphRows(result);
      this.layout = graphLayout(result);
      this.reveal(0);
    });
  }

  // The backward pass runs right → left on the drawing: ← reveals the next node, → hides it.
  _key(e) {
    const moves = { ArrowLeft: this.shown + 1, ArrowRight: this.shown - 1, Home: 0, End: this.rows.length };
    if (!(e.key in moves) || !this.rows.length) return;
    e.preventDefault();
    this.reveal(moves[e.key]);
  }

  // Show the gradients of the first `count` nodes of the backward order.
  reveal(count) {
    const { text, lang } = this.ctx;
    this.shown = Math.max(0, Math.min(count, this.rows.length));
    const current = this.rows.find((r) => r.step === this.shown - 1);
    this._table();
    this._draw(current);
    this.status.dataset.status = "ok";
    this.status.textContent = current
      ? text("autograd.at", { k: this.shown, n: this.rows.length, symbol: current.symbol, grad: formatNumber(current.grad, lang, 6) })
      : text("autograd.start", { n: this.rows.length });
    this.chain.textContent = current ? this._chainText(current) : "";
    const done = this.shown >= this.rows.length;
    this.prev.disabled = this.shown === 0;
    this.next.disabled = done;
    this.all.disabled = done;
  }

  // "∂L/∂a = −0,2219 · 0,8861 = −0,1966: …", every number the engine's.
  _chainText(node) {
    const { text, lang } = this.ctx;
    const terms = chainTerms(this.result, node.id);
    if (!terms.length) return text("autograd.chain.root", { symbol: node.symbol });
    const num = (v) => (v < 0 ? `(${formatNumber(v, lang)})` : formatNumber(v, lang));
    return text("autograd.chain", {
      symbol: node.symbol,
      numbers: terms.map((t) => `${formatNumber(t.grad, lang)} · ${num(t.local)}`).join(" + "),
      grad: formatNumber(node.grad, lang),
      from: terms.map((t) => t.symbol).join(text("autograd.and")),
    });
  }

  _table() {
    const { text, lang } = this.ctx;
    const cells = this.rows.map((r) => ({
      cells: [r.symbol, r.label, formatNumber(r.value, lang, 6), r.step < this.shown ? formatNumber(r.grad, lang, 6) : HIDDEN],
      className: r.step === this.shown - 1 ? "bp-worst" : "",
    }));
    const headers = ["autograd.col.node", "autograd.col.op", "autograd.col.value", "autograd.col.grad"].map((k) => text(k));
    const caption = text("autograd.caption", { nodes: this.rows.length, example: (this.result?.index ?? 0) + 1, loss: formatNumber(this.result?.loss, lang, 6) });
    this.box.replaceChildren(table(headers, cells, caption));
  }

  // The drawing: edges first, then one box per node; `current` is the node just revealed, the
  // edges to the nodes its gradient came from are lit. Scales down to 80 % to fit, then scrolls.
  _draw(current) {
    const { columns, at, rows } = this.layout;
    const width = this._boxWidth();
    const x = (id) => at.get(id).col * (width + BOX.gapX);
    const y = (id) => at.get(id).y * (BOX.h + BOX.gapY) + 2;
    const size = { w: columns.length * (width + BOX.gapX) - BOX.gapX + 4, h: rows * (BOX.h + BOX.gapY) - BOX.gapY + 4 };
    const root = svg("svg", { viewBox: `-2 0 ${size.w} ${size.h}`, role: "img",
      "aria-label": this.ctx.text("autograd.aria", { n: this.rows.length, columns: columns.length }) });
    // Its text grows with the widget's (a projector): the drawing may widen as much (CSSOM).
    const grow = textScale(this.figure);
    Object.assign(root.style, { display: "block", width: "100%", minWidth: `${Math.round(0.8 * size.w * grow)}px`, maxWidth: `${Math.round(size.w * grow)}px` });
    const colors = this.ctx.colors();
    const edges = svg("g", { fill: "none" });
    for (const e of this.result.edges || []) {
      const on = current?.id === e.from;
      const [x0, y0, x1, y1] = [x(e.from) + width, y(e.from) + BOX.h / 2, x(e.to), y(e.to) + BOX.h / 2];
      const mid = (x0 + x1) / 2;
      edges.append(svg("path", { d: `M${x0},${y0} C${mid},${y0} ${mid},${y1} ${x1},${y1}`, stroke: on ? colors.highlight : colors.node, "stroke-width": on ? 3 : 1.2 }));
    }
    root.append(edges);
    for (const r of this.rows) root.append(this._node(r, x(r.id), y(r.id), width, r === current, colors));
    this.figure.replaceChildren(root);
    // On a narrow screen the drawing scrolls: keep the node just reached in sight.
    const scale = root.clientWidth / size.w;
    if (current && scale > 0) this.figure.scrollLeft = (x(current.id) + width / 2) * scale - this.figure.clientWidth / 2;
  }

  // Wide enough for the longest line any box writes (symbol, value, gradient).
  _boxWidth() {
    const { text, lang } = this.ctx;
    const chars = (s) => [...String(s)].length;
    const longest = Math.max(...this.rows.map((r) => Math.max(chars(r.symbol),
      chars(`${text("autograd.value")} ${formatNumber(r.value, lang)}`), chars(`${text("autograd.grad")} ${formatNumber(r.grad, lang)}`))));
    return Math.max(BOX.minW, Math.ceil(longest * BOX.charW + 2 * BOX.pad));
  }

  // One box: symbol, value and gradient (hidden until the replay reaches it).
  _node(r, x0, y0, width, isCurrent, colors) {
    const { text, lang } = this.ctx;
    const shown = r.step < this.shown;
    const value = formatNumber(r.value, lang);
    const grad = shown ? formatNumber(r.grad, lang) : HIDDEN;
    const g = svg("g", { class: "bp-node", "data-node": r.id, "data-kind": r.kind, "data-current": isCurrent ? "true" : "false" });
    g.append(svg("title", {}, text("autograd.node", { symbol: r.symbol, label: r.label, value, grad })));
    const frame = { x: x0, y: y0, width, height: BOX.h, rx: 6, fill: colors.bg, stroke: isCurrent ? colors.highlight : colors.node };
    frame["stroke-width"] = isCurrent ? 3 : r.kind === "parameter" ? 2 : 1;
    if (r.kind === "constant" || r.kind === "input") frame["stroke-dasharray"] = "4 3";
    g.append(svg("rect", frame));
    const line = (k, content, attrs) => svg("text", { x: x0 + BOX.pad, y: y0 + 17 + k * 17, fill: colors.fg, "font-size": 12, ...attrs }, content);
    g.append(line(0, r.symbol, { "font-weight": 700, "font-size": 13 }),
      line(1, `${text("autograd.value")} ${value}`, {}),
      line(2, `${text("autograd.grad")} ${grad}`, shown ? { "font-weight": 600 } : { fill: colors.muted }));
    return g;
  }

  // Built on the first opening; later the reader rebuilds it with the current weights.
  draw() {
    if (!this.result && !this.build.disabled) this.run();
  }
}
