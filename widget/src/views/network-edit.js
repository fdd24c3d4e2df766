// Editing a weight or a bias on the step-by-step diagram: a small text field placed over the
// parameter's number on the canvas, and the marks of the parameters the reader has edited.
// The field only parses (decimal comma or dot); the engine validates the value, and its refusal
// is shown beside the field with nothing changed.

import { parseDecimal, formatNumber } from "../format.js";

// Where along a weight's line its numbers sit (network-numbers.js draws its box there).
export const EDGE_LABEL_AT = 0.72;

// A diagram hit (edge: layer = weight matrix index; node: layer as in the diagram) → the
// engine's parameter address (layer as in the diagram, 1 = first hidden layer; i null: bias).
export function paramOf(hit) {
  if (hit.kind === "edge") return { layer: hit.layer + 1, j: hit.j, i: hit.i };
  return { layer: hit.layer, j: hit.j, i: null };
}

// One key per parameter, for the set of edited ones.
export function paramKey(param) {
  return `${param.layer}:${param.j}:${param.i ?? "b"}`;
}

export function isEditable(hit) {
  return Boolean(hit) && (hit.kind === "edge" || (hit.kind === "node" && hit.layer > 0));
}

// The same weight or neuron (hits carry their layout geometry too).
export function sameItem(a, b) {
  return Boolean(a && b) && a.kind === b.kind && a.layer === b.layer && a.j === b.j && (a.kind === "node" || a.i === b.i);
}

// The point the field is placed at: a weight's label anchor (centred on it), or the top of a
// neuron's numbers under its square.
export function numberAnchor(hit, layout) {
  if (hit.kind === "edge") {
    const e = layout.edges.find((x) => sameItem({ kind: "edge", ...x }, hit));
    if (!e) return null;
    return { x: e.x1 + EDGE_LABEL_AT * (e.x2 - e.x1), y: e.y1 + EDGE_LABEL_AT * (e.y2 - e.y1), valign: "middle" };
  }
  const n = layout.nodes.find((x) => x.layer === hit.layer && x.j === hit.j);
  return n ? { x: n.x, y: n.y + n.size / 2 + 4, valign: "top" } : null;
}

// The weight or neuron whose box of numbers (network-numbers.js's drawNumbers) is under (x, y).
export function boxAt(boxes, x, y) {
  for (let k = boxes.length - 1; k >= 0; k--) {
    const b = boxes[k];
    if (b.kind !== "loss" && x >= b.rect.x && x <= b.rect.x + b.rect.w && y >= b.rect.y && y <= b.rect.y + b.rect.h) return b;
  }
  return null;
}

// Where the field goes: over the parameter's box of numbers if one is drawn, else its spot.
export function boxAnchor(boxes, hit, layout) {
  const r = boxes.find((b) => b.kind !== "loss" && sameItem(b, hit))?.rect;
  if (!r) return numberAnchor(hit, layout);
  return hit.kind === "edge" ? { x: r.x + r.w / 2, y: r.y + r.h / 2, valign: "middle" } : { x: r.x + r.w / 2, y: r.y, valign: "top" };
}

// Edited parameters: a weight's line between two dashed lines in the accent colour (drawn
// over the lit paths, so it shows on a pinned weight too), a dashed frame around a neuron whose
// bias was edited. edited: a Set of paramKey()s.
export function drawEditedMarks(g, layout, edited, colors) {
  if (!edited?.size) return;
  g.save();
  g.strokeStyle = colors.accent || colors.highlight;
  g.setLineDash([6, 4]);
  g.lineWidth = 2;
  for (const e of layout.edges) {
    if (!edited.has(paramKey(paramOf({ kind: "edge", ...e })))) continue;
    const len = Math.hypot(e.x2 - e.x1, e.y2 - e.y1) || 1;
    const nx = (-(e.y2 - e.y1) / len) * 7;
    const ny = ((e.x2 - e.x1) / len) * 7;
    for (const s of [1, -1]) {
      g.beginPath();
      g.moveTo(e.x1 + s * nx, e.y1 + s * ny);
      g.lineTo(e.x2 + s * nx, e.y2 + s * ny);
      g.stroke();
    }
  }
  g.lineWidth = 3;
  for (const n of layout.nodes) {
    if (n.layer === 0 || !edited.has(paramKey(paramOf({ kind: "node", ...n })))) continue;
    g.strokeRect(n.x - n.size / 2 - 6, n.y - n.size / 2 - 6, n.size + 12, n.size + 12);
  }
  g.restore();
}

// The field over the canvas. ctx: tr, lang, commit(hit, value) (resolves when the engine took
// the value, rejects with its message), closed(refocus) (the field went away), and
// anchor(hit, layout) (where the parameter's number is; numberAnchor by default).
export class InlineEditor {
  constructor(figure, canvas, ctx) {
    this.figure = figure;
    this.canvas = canvas;
    this.ctx = ctx;
    this.hit = null;
    this.pending = false;
    const { tr } = ctx;
    const doc = figure.ownerDocument;
    this.box = doc.createElement("div");
    this.box.className = "bp-edit";
    this.box.hidden = true;
    this.input = doc.createElement("input");
    for (const [k, v] of Object.entries({ type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false" })) this.input.setAttribute(k, v);
    this.apply = doc.createElement("button");
    this.apply.type = "button";
    this.apply.textContent = tr("edit.apply");
    this.apply.setAttribute("aria-label", tr("edit.apply.aria"));
    this.error = doc.createElement("p");
    this.error.className = "bp-edit-error";
    this.error.setAttribute("role", "alert");
    this.box.append(this.input, this.apply, this.error);
    figure.append(this.box);
    this.input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") this.commit();
      else if (ev.key === "Escape") this.close(true);
      else return;
      ev.preventDefault();
      ev.stopPropagation();
    });
    this.apply.addEventListener("click", () => this.commit());
    // Safari does not focus a clicked button: keep the focus in the field so it stays open.
    this.apply.addEventListener("mousedown", (ev) => ev.preventDefault());
    // Leaving the field (a tap elsewhere, Tab away) cancels, unless the engine is answering.
    this.box.addEventListener("focusout", (ev) => {
      if (!this.pending && !this.box.contains(ev.relatedTarget)) this.close(false);
    });
  }

  get isOpen() {
    return this.hit !== null;
  }

  // hit: the weight or neuron; label: its name for screen readers; value: the engine's value.
  open(hit, { label, value, layout }) {
    this.hit = hit;
    this.value = value;
    this.shown = typeof value === "number" ? formatNumber(value, this.ctx.lang, 12) : "";
    this.input.value = this.shown;
    this.input.setAttribute("aria-label", label);
    this.input.removeAttribute("aria-invalid");
    this.error.textContent = "";
    this.box.hidden = false;
    this.place(layout);
    this.input.focus();
    this.input.select();
  }

  // Over the number, inside the canvas (kept there when the diagram is drawn again).
  place(layout) {
    if (!this.hit || !layout) return;
    const at = (this.ctx.anchor || numberAnchor)(this.hit, layout);
    if (!at) return this.close(false);
    const c = this.canvas;
    const w = this.box.offsetWidth;
    const h = this.input.offsetHeight;
    const left = Math.max(0, Math.min(c.clientWidth - w, at.x - w / 2));
    const top = Math.max(0, Math.min(c.clientHeight - h, at.valign === "middle" ? at.y - h / 2 : at.y));
    this.box.style.left = `${c.offsetLeft + left}px`;
    this.box.style.top = `${c.offsetTop + top}px`;
  }

  async commit() {
    if (this.pending || !this.hit) return;
    const text = this.input.value;
    // Untouched, the field holds the formatted value (maybe "8,88 · 10⁻⁵"): send the number.
    const value = text === this.shown ? this.value : parseDecimal(text) ?? text;
    this.pending = true;
    try {
      await this.ctx.commit(this.hit, value);
      this.close(true);
    } catch (e) {
      this.error.textContent = e?.message || String(e);
      this.input.setAttribute("aria-invalid", "true");
      this.input.focus();
      this.input.select();
    } finally {
      this.pending = false;
    }
  }

  close(refocus) {
    if (!this.hit) return;
    this.hit = null;
    this.box.hidden = true;
    this.ctx.closed?.(refocus);
  }
}
