// The network diagram: one column per layer, each neuron a small square showing its output over
// the input plane (from the grid buffer), edges coloured by the sign of the weight and as wide
// as its magnitude. Hover or tap an edge to read its weight (and gradient).

import { weightStyle, divergingColor, DIVERGING_LUT, fillImage } from "../colors.js";
import { formatNumber } from "../format.js";
import { maxAbs } from "../snapshot.js";
import { drawUnitMarks } from "./unit-marks.js";
import { CanvasView, fitCanvas, imageTile } from "./canvas.js";
import { setText, setAttr } from "../dom-write.js";
import { gridBlocks, neuronRange } from "./grid.js";
import { drawNumbers, describeNumbers } from "./network-numbers.js";
import { canvasFont, textScale } from "./text-scale.js";
import { diagramFontPx, inputLabels } from "./input-labels.js";
import { InlineEditor, drawEditedMarks, isEditable, sameItem, paramKey, paramOf, boxAt, boxAnchor } from "./network-edit.js";

// Geometry of the diagram, pure so it can be tested: node centres and sizes, edge end points.
// sizes: neurons per layer including the input layer.
export function layoutNetwork(sizes, width, height, opts = {}) {
  const labels = opts.left ?? 64; // room for the input features' names
  const pad = opts.pad ?? 10;
  const L = sizes.length;
  const maxN = Math.max(1, ...sizes);
  const rowSpace = (height - 2 * pad) / maxN;
  // Node size from the vertical room and a first guess of the column gap, then the columns are
  // placed so the first and last squares fit entirely inside the canvas.
  const guessGap = L > 1 ? (width - labels - pad) / (L - 1) : width;
  const size = Math.max(6, Math.min(opts.maxSize ?? 64, rowSpace * 0.75, guessGap * 0.45));
  const left = labels + size / 2;
  const right = pad + size / 2;
  const colGap = L > 1 ? (width - left - right) / (L - 1) : 0;
  const nodes = [];
  const byLayer = [];
  sizes.forEach((n, l) => {
    const x = L > 1 ? left + l * colGap : width / 2;
    // spread: the neurons use the whole height (step mode writes numbers under each one).
    const step = opts.spread ? rowSpace : Math.min(rowSpace, size * 1.8);
    const total = (n - 1) * step;
    const col = [];
    for (let j = 0; j < n; j++) {
      const node = { layer: l, j, x, y: height / 2 - total / 2 + j * step, size };
      nodes.push(node);
      col.push(node);
    }
    byLayer.push(col);
  });
  const edges = [];
  for (let l = 0; l + 1 < L; l++) {
    for (const to of byLayer[l + 1]) {
      for (const from of byLayer[l]) {
        edges.push({ layer: l, i: from.j, j: to.j, x1: from.x + size / 2, y1: from.y, x2: to.x - size / 2, y2: to.y });
      }
    }
  }
  return { nodes, edges, byLayer, size };
}

export function distanceToSegment(px, py, x1, y1, x2, y2) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  let u = len2 ? ((px - x1) * dx + (py - y1) * dy) / len2 : 0;
  u = Math.max(0, Math.min(1, u));
  return Math.hypot(px - (x1 + u * dx), py - (y1 + u * dy));
}

// What is under the pointer: a node (inside its square) or the nearest edge within `tol` px.
export function hitTest(layout, px, py, tol = 6) {
  for (const n of layout.nodes) {
    if (Math.abs(px - n.x) <= n.size / 2 && Math.abs(py - n.y) <= n.size / 2) return { kind: "node", ...n };
  }
  let best = null;
  let bestD = tol;
  for (const e of layout.edges) {
    const d = distanceToSegment(px, py, e.x1, e.y1, e.x2, e.y2);
    if (d <= bestD) {
      bestD = d;
      best = e;
    }
  }
  return best ? { kind: "edge", ...best } : null;
}

// A layer's name for the reader: input, hidden layer n, output.
export function layerName(tr, l, L) {
  if (l === 0) return tr("network.input");
  if (l === L - 1) return tr("network.output");
  return tr("network.hidden", { n: l });
}

// The weights on the chain-rule panel's lit paths ({paths: [{nodes: [{layer, neuron}]}]}), as
// "l:j:i" keys of the layout's edges (l: index of the weight matrix).
export function pathEdges(lit) {
  const keys = new Set();
  for (const p of lit?.paths || []) {
    const ns = p.nodes || [];
    for (let k = 0; k + 1 < ns.length; k++) keys.add(`${ns[k].layer}:${ns[k + 1].neuron}:${ns[k].neuron}`);
  }
  return keys;
}

// ctx: the view context the element builds: tr, lang, mode, snapshot(),
// colors(), highlight() (the step-by-step event to mark, or null).
export class NetworkView extends CanvasView {
  constructor(figure, ctx) {
    super(figure, ctx, "network.aria");
    this.tip = figure.querySelector(".bp-tip");
    this.legend = figure.querySelector(".bp-legend");
    this.legend.textContent = ctx.tr("network.legend");
    this.layout = null;
    this.showGradients = false;
    this.selected = null; // {kind, layer, i, j}
    this.edgeCursor = -1;
    this.atlases = []; // offscreen canvases of the neurons' maps (_thumbnails)
    this.boxes = []; // step mode: the number boxes drawn, with their weight or neuron
    this.pinned = null;
    // Step mode: the field that edits a weight or bias over its number.
    this.editor = ctx.edits ? new InlineEditor(figure, this.canvas, {
      tr: ctx.tr, lang: ctx.lang,
      commit: (hit, value) => this.steps.edit(hit, value, this.paramName(hit)),
      closed: (refocus) => { if (refocus) this.canvas.focus(); },
      anchor: (hit, layout) => boxAnchor(this.boxes, hit, layout),
    }) : null;
    const pick = (ev) => {
      if (!this.layout) return;
      const r = this.canvas.getBoundingClientRect();
      const x = ev.clientX - r.left;
      const y = ev.clientY - r.top;
      const onNumber = boxAt(this.boxes, x, y);
      const hit = onNumber || hitTest(this.layout, x, y, ev.pointerType === "touch" ? 14 : 6);
      if (hit || ev.type === "click") this.select(hit);
      // A click or tap pins the weight (or the neuron's bias) for the chain-rule panel; on its
      // number, or on the pinned one again, it also opens the field that edits its value.
      if (ev.type === "click" && isEditable(hit)) this._activate(hit, Boolean(onNumber));
    };
    this.canvas.addEventListener("pointermove", pick);
    this.canvas.addEventListener("click", pick); // tap works as well as hover
    this.canvas.addEventListener("keydown", (ev) => this._key(ev));
  }

  // Pins a weight or bias; edits it when asked (its number was clicked, F2) or pinned already.
  _activate(hit, edit) {
    const again = sameItem(hit, this.pinned);
    this.pinned = hit;
    if (!again) this.ctx.pin?.(hit);
    if ((edit || again) && this.editor) this.edit(hit);
  }

  // Step mode's editing side (steps/mount.js): edit, edited, valueBefore.
  get steps() {
    return this.ctx.edits?.();
  }

  // Opens the field over the number of a weight or a neuron's bias.
  edit(hit) {
    if (!this.editor || !this.layout || !isEditable(hit)) return;
    const label = this.ctx.tr("edit.label", { name: this.paramName(hit) });
    this.editor.open(hit, { label, value: this.steps.valueBefore(hit), layout: this.layout });
  }

  // "Peso de x₁ a neurona 1 (capa oculta 1)" or "Sesgo de neurona 1 (salida)".
  paramName(hit) {
    const snap = this.ctx.snapshot();
    const L = snap?.network?.sizes?.length || 0;
    const features = snap?.data?.feature_names;
    if (hit.kind === "edge") return this.itemName(hit, L, features);
    return this.ctx.tr("edit.bias", { to: this.neuronName(hit.layer, hit.j, L, features) });
  }

  // Arrows walk the weights, then (where biases can be pinned) the neurons' biases; Enter or
  // Space pins the selected one, and on the pinned one (or F2) opens its value's field.
  _key(ev) {
    if (!this.layout || !this.layout.edges.length) return;
    const items = [...this.layout.edges.map((e) => ({ kind: "edge", ...e }))];
    if (this.ctx.pin) items.push(...this.layout.nodes.filter((n) => n.layer > 0).map((n) => ({ kind: "node", ...n })));
    const n = items.length;
    if (ev.key === "ArrowRight" || ev.key === "ArrowDown") this.edgeCursor = (this.edgeCursor + 1) % n;
    else if (ev.key === "ArrowLeft" || ev.key === "ArrowUp") this.edgeCursor = (this.edgeCursor - 1 + n) % n;
    else if ((ev.key === "Enter" || ev.key === " " || ev.key === "F2") && isEditable(this.selected) && this.ctx.pin) {
      ev.preventDefault();
      this._activate(this.selected, ev.key === "F2");
      return;
    } else return;
    ev.preventDefault();
    this.select(items[this.edgeCursor]);
  }

  setShowGradients(on) {
    this.showGradients = on;
    this.draw(this.ctx.snapshot());
  }

  // "Peso de x₁ a neurona 1 (capa oculta 1)" or a neuron's name.
  itemName(hit, L, features) {
    if (hit.kind !== "edge") return this.neuronName(hit.layer, hit.j, L, features);
    return this.ctx.tr("network.weight_name", { from: this.neuronName(hit.layer, hit.i, L, features), to: this.neuronName(hit.layer + 1, hit.j, L, features) });
  }

  neuronName(l, j, L, features) {
    if (l === 0 && features && features[j]) return features[j];
    return this.ctx.tr("network.neuron", { j: j + 1, layer: layerName(this.ctx.tr, l, L) });
  }

  select(hit) {
    this.selected = hit;
    this.tip.textContent = this.describe(hit);
    this.draw(this.ctx.snapshot());
  }

  describe(hit) {
    const snap = this.ctx.snapshot();
    const net = snap?.network;
    if (!hit || !net) return "";
    // Step mode: the step's own numbers (the snapshot's gradient is of another state).
    const numbers = describeNumbers(hit, this.ctx.stepView?.(), net.sizes);
    const text = numbers ? `${this.itemName(hit, net.sizes.length, snap.data?.feature_names)}: ${numbers}` : this._describe(hit, net, snap);
    if (!this.editor || !isEditable(hit)) return text;
    const edited = this.steps.edited()?.has(paramKey(paramOf(hit)));
    return `${text}${edited ? ` (${this.ctx.tr("edit.edited")})` : ""} · ${this.ctx.tr(hit.kind === "edge" ? "edit.how" : "edit.how_bias")}`;
  }

  // What the snapshot says about a weight or a neuron's bias.
  _describe(hit, net, snap) {
    const { tr, lang } = this.ctx;
    const L = net.sizes.length;
    const features = snap.data?.feature_names;
    if (hit.kind === "edge") {
      const w = net.weights?.[hit.layer]?.[hit.j]?.[hit.i];
      let text = tr("network.weight", {
        from: this.neuronName(hit.layer, hit.i, L, features),
        to: this.neuronName(hit.layer + 1, hit.j, L, features),
        value: formatNumber(w, lang),
      });
      const g = net.grad_weights?.[hit.layer]?.[hit.j]?.[hit.i];
      if (typeof g === "number") text += " · " + tr("network.grad", { value: formatNumber(g, lang) });
      return text;
    }
    if (hit.layer === 0) return this.neuronName(0, hit.j, L, features);
    const b = net.biases?.[hit.layer - 1]?.[hit.j];
    return tr("network.bias", { to: this.neuronName(hit.layer, hit.j, L, features), value: formatNumber(b, lang) });
  }

  // Every neuron's map, painted once per grid: one atlas per block of the grid (the hidden
  // neurons may come coarser than the output while training), one putImageData each, so a
  // frame costs a few drawImage calls. Returns Map "layer,j" → {canvas, sy, res}.
  _thumbnails(grid) {
    if (this.thumbGrid === grid) return this.thumbs;
    this.thumbGrid = grid;
    this.thumbs = new Map();
    if (!grid?.values) return this.thumbs;
    gridBlocks(grid).forEach((b, i) => {
      const res = b.resolution;
      const count = res * res;
      const tile = (this.atlases[i] = imageTile(this.atlases[i], res, b.neurons.length || 1));
      b.neurons.forEach(([layer, j], k) => {
        const offset = b.offset + k * count;
        const { lo, hi } = neuronRange(grid.values, offset, count);
        fillImage(tile.image.data.subarray(k * count * 4), grid.values, offset, count, DIVERGING_LUT, lo, hi);
        this.thumbs.set(`${layer},${j}`, { canvas: tile.canvas, sy: k * res, res });
      });
      tile.ctx.putImageData(tile.image, 0, 0);
    });
    return this.thumbs;
  }

  draw(snap) {
    const net = snap?.network;
    if (!net || !Array.isArray(net.sizes)) return;
    const { ctx, width, height } = fitCanvas(this.canvas);
    const colors = this.ctx.colors();
    const highlight = this.ctx.highlight();
    const scale = textScale(this.canvas);
    const fontPx = diagramFontPx(width, scale);
    ctx.font = canvasFont(fontPx);
    const names = Array.from({ length: net.sizes[0] }, (_, j) => snap.data?.feature_names?.[j] ?? `x${j + 1}`);
    // Measured again only when the names, the width or the font change, not every frame of training.
    const inputsKey = `${names.join("\n")}\n${width}\n${fontPx}`;
    if (this.inputsKey !== inputsKey) {
      this.inputs = inputLabels(names, (t) => ctx.measureText(t).width, width, fontPx);
      this.inputsKey = inputsKey;
    }
    const stepView = this.ctx.stepView?.();
    // Step mode: smaller squares spread over the height, with room for the numbers under each
    // (from the start, so the diagram does not jump when the first number appears).
    const layout = layoutNetwork(net.sizes, width, height, this.ctx.mode === "paso-a-paso"
      ? { left: this.inputs.left, maxSize: Math.round(40 * scale), spread: true, pad: Math.round(fontPx * 2) }
      : { left: this.inputs.left });
    this.layout = layout;
    const edited = this.steps?.edited();
    const gradMode = this.showGradients || this.ctx.mode === "paso-a-paso";
    const useGrad = gradMode && Array.isArray(net.grad_weights);
    setText(this.legend, this.ctx.tr(useGrad ? "network.legend_grad" : "network.legend") + (edited?.size ? ` · ${this.ctx.tr("edit.legend")}` : ""));
    this._edges(ctx, layout, useGrad ? net.grad_weights : net.weights, useGrad, colors.bg);
    const sel = this.selected;
    const marked = (e, h) => h && e.layer === h.layer && e.i === h.i && e.j === h.j;
    const onPath = pathEdges(this.ctx.chainPaths?.());
    for (const e of layout.edges) {
      if (onPath.has(`${e.layer}:${e.j}:${e.i}`)) this._line(ctx, e, colors.highlight, 5);
      if (marked(e, sel?.kind === "edge" && sel) || marked(e, highlight?.edge)) this._line(ctx, e, colors.highlight, 3);
    }
    drawEditedMarks(ctx, layout, edited, colors);
    const isMarked = (n) => (highlight?.node && highlight.node.layer === n.layer && highlight.node.j === n.j)
      || (sel?.kind === "node" && sel.layer === n.layer && sel.j === n.j);
    for (const n of layout.nodes) this._node(ctx, n, snap, colors, isMarked(n));
    drawUnitMarks(ctx, layout.nodes, this.ctx.marks?.(), colors);
    this._numbers(ctx, layout, stepView, { fontPx: Math.max(13, fontPx - 1), colors, width, height, sizes: net.sizes, selected: sel, features: snap.data?.feature_names, edited });
    setAttr(this.canvas, "aria-label", `${this.ctx.tr("network.aria")}: ${net.sizes.join("–")}`);
    if (this.selected) setText(this.tip, this.describe(this.selected));
    this.editor?.place(layout);
  }

  // Step mode: the numbers computed so far, drawn over the diagram and listed, as text, in a
  // visually hidden list of the figure (screen readers, copying, tests).
  _numbers(ctx, layout, view, opts) {
    if (!this.numbersList) {
      this.numbersList = document.createElement("ul");
      this.numbersList.className = "bp-sr bp-diagram-numbers";
      this.canvas.after(this.numbersList);
    }
    const L = opts.sizes.length;
    const names = {
      node: (n) => this.itemName({ kind: "node", ...n }, L, opts.features),
      edge: (e) => this.itemName({ kind: "edge", ...e }, L, opts.features),
    };
    this.boxes = view ? drawNumbers(ctx, layout, view, { ...opts, names, editedWord: this.ctx.tr("edit.edited") }) : [];
    // Each item says where its box is (CSS px of the canvas), so a test can click the number.
    // An empty list stays untouched (every live snapshot outside step mode).
    if (!this.boxes.length && !this.numbersList.firstChild) return;
    this.numbersList.replaceChildren(...this.boxes.map((b) => {
      const li = document.createElement("li");
      li.textContent = b.text;
      li.dataset.at = `${Math.round(b.rect.x + b.rect.w / 2)},${Math.round(b.rect.y + b.rect.h / 2)}`;
      return li;
    }));
  }

  _line(ctx, e, color, width) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(e.x1, e.y1);
    ctx.lineTo(e.x2, e.y2);
    ctx.stroke();
  }

  // Every edge coloured by the sign of its weight (or gradient, dashed), as wide as its size,
  // on the scale that stands out against the canvas's background (light or dark).
  _edges(ctx, layout, mats, dashed, background) {
    const m = maxAbs(mats);
    ctx.setLineDash(dashed ? [4, 3] : []);
    for (const e of layout.edges) {
      const st = weightStyle(mats?.[e.layer]?.[e.j]?.[e.i], m, background);
      this._line(ctx, e, st.color, st.width);
    }
    ctx.setLineDash([]);
  }

  // One neuron: its output over the plane (or the input ramp), frame, mark and input name.
  _node(ctx, n, snap, colors, marked) {
    const grid = snap.grid;
    const x = n.x - n.size / 2;
    const y = n.y - n.size / 2;
    const thumb = this._thumbnails(grid).get(`${n.layer},${n.j}`);
    if (thumb) {
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(thumb.canvas, 0, thumb.sy, thumb.res, thumb.res, x, y, n.size, n.size);
    } else if (n.layer === 0 && n.j < 2) {
      // An input neuron's output is the feature itself: a ramp across the plane
      // (x₁ left→right, x₂ bottom→top), on the same scale as the other squares.
      const g = n.j === 0 ? ctx.createLinearGradient(x, 0, x + n.size, 0) : ctx.createLinearGradient(0, y + n.size, 0, y);
      for (const s of [0, 0.25, 0.5, 0.75, 1]) g.addColorStop(s, divergingColor(2 * s - 1));
      ctx.fillStyle = g;
      ctx.fillRect(x, y, n.size, n.size);
    } else {
      ctx.fillStyle = divergingColor(0);
      ctx.fillRect(x, y, n.size, n.size);
    }
    ctx.strokeStyle = colors.node;
    ctx.lineWidth = 1;
    ctx.strokeRect(x + 0.5, y + 0.5, n.size - 1, n.size - 1);
    if (marked) {
      ctx.strokeStyle = colors.highlight;
      ctx.lineWidth = 3;
      ctx.strokeRect(x - 2, y - 2, n.size + 4, n.size + 4);
    }
    if (n.layer === 0) this._inputLabel(ctx, n, x, colors);
  }

  // An input's name right-aligned before its square, its lines centred on the square.
  _inputLabel(ctx, n, x, colors) {
    const lines = this.inputs.lines[n.j] || [];
    const { lineH } = this.inputs;
    ctx.fillStyle = colors.fg;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    lines.forEach((t, k) => ctx.fillText(t, x - 4, n.y + (k - (lines.length - 1) / 2) * lineH, Math.max(1, x - 6)));
  }
}
