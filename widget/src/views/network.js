// The network diagram: one column per layer, each neuron a small square showing its output over
// the input plane (from the grid buffer), edges coloured by the sign of the weight and as wide
// as its magnitude. Hover or tap an edge to read its weight (and gradient).

import { weightStyle, divergingColor, DIVERGING_LUT, fillImage } from "../colors.js";
import { formatNumber } from "../format.js";
import { maxAbs } from "../snapshot.js";
import { fitCanvas } from "./canvas.js";
import { gridNeuronIndex, neuronRange } from "./grid.js";

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
    const step = Math.min(rowSpace, size * 1.8);
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

// Shorten a label with "…" until it fits maxWidth pixels (the full name is in the tip).
function fitText(ctx, text, maxWidth) {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let t = text;
  while (t.length > 1 && ctx.measureText(t + "…").width > maxWidth) t = t.slice(0, -1);
  return t + "…";
}

export class NetworkView {
  constructor(figure, widget) {
    this.widget = widget;
    this.canvas = figure.querySelector("canvas");
    this.tip = figure.querySelector(".bp-tip");
    this.legend = figure.querySelector(".bp-legend");
    this.canvas.setAttribute("aria-label", widget.tr("network.aria"));
    this.legend.textContent = widget.tr("network.legend");
    this.layout = null;
    this.showGradients = false;
    this.selected = null; // {kind, layer, i, j}
    this.edgeCursor = -1;
    this.tile = null;
    const pick = (ev) => {
      if (!this.layout) return;
      const r = this.canvas.getBoundingClientRect();
      const hit = hitTest(this.layout, ev.clientX - r.left, ev.clientY - r.top, ev.pointerType === "touch" ? 14 : 6);
      if (hit || ev.type === "click") this.select(hit);
    };
    this.canvas.addEventListener("pointermove", pick);
    this.canvas.addEventListener("click", pick); // tap works as well as hover
    this.canvas.addEventListener("keydown", (ev) => {
      if (!this.layout || !this.layout.edges.length) return;
      const n = this.layout.edges.length;
      if (ev.key === "ArrowRight" || ev.key === "ArrowDown") this.edgeCursor = (this.edgeCursor + 1) % n;
      else if (ev.key === "ArrowLeft" || ev.key === "ArrowUp") this.edgeCursor = (this.edgeCursor - 1 + n) % n;
      else return;
      ev.preventDefault();
      this.select({ kind: "edge", ...this.layout.edges[this.edgeCursor] });
    });
  }

  setShowGradients(on) {
    this.showGradients = on;
    this.draw(this.widget.snapshot, this.widget._stepper?.highlight());
  }

  layerName(l, L) {
    if (l === 0) return this.widget.tr("network.input");
    if (l === L - 1) return this.widget.tr("network.output");
    return this.widget.tr("network.hidden", { n: l });
  }

  neuronName(l, j, L, features) {
    if (l === 0 && features && features[j]) return features[j];
    return this.widget.tr("network.neuron", { j: j + 1, layer: this.layerName(l, L) });
  }

  select(hit) {
    this.selected = hit;
    this.tip.textContent = this.describe(hit);
    this.draw(this.widget.snapshot, this.widget._stepper?.highlight());
  }

  describe(hit) {
    const snap = this.widget.snapshot;
    const net = snap?.network;
    if (!hit || !net) return "";
    const lang = this.widget.lang;
    const L = net.sizes.length;
    const features = snap.data?.feature_names;
    if (hit.kind === "edge") {
      const w = net.weights?.[hit.layer]?.[hit.j]?.[hit.i];
      let text = this.widget.tr("network.weight", {
        from: this.neuronName(hit.layer, hit.i, L, features),
        to: this.neuronName(hit.layer + 1, hit.j, L, features),
        value: formatNumber(w, lang),
      });
      const g = net.grad_weights?.[hit.layer]?.[hit.j]?.[hit.i];
      if (typeof g === "number") text += " · " + this.widget.tr("network.grad", { value: formatNumber(g, lang) });
      return text;
    }
    if (hit.layer === 0) return this.neuronName(0, hit.j, L, features);
    const b = net.biases?.[hit.layer - 1]?.[hit.j];
    return this.widget.tr("network.bias", { to: this.neuronName(hit.layer, hit.j, L, features), value: formatNumber(b, lang) });
  }

  _heatmap(grid, k) {
    const res = grid.resolution;
    if (!this.tile || this.tile.width !== res) {
      this.tile = document.createElement("canvas");
      this.tile.width = res;
      this.tile.height = res;
      this.tileCtx = this.tile.getContext("2d");
      this.tileImg = this.tileCtx.createImageData(res, res);
    }
    const count = res * res;
    const offset = k * count;
    const { lo, hi } = neuronRange(grid.values, offset, count);
    fillImage(this.tileImg.data, grid.values, offset, count, DIVERGING_LUT, lo, hi);
    this.tileCtx.putImageData(this.tileImg, 0, 0);
    return this.tile;
  }

  draw(snap, highlight) {
    const net = snap?.network;
    if (!net || !Array.isArray(net.sizes)) return;
    const { ctx, width, height } = fitCanvas(this.canvas);
    const L = net.sizes.length;
    // Labels grow with the canvas so a projector stays readable; the input column leaves
    // room for a feature name of about nine characters.
    const fontPx = Math.round(Math.max(12, Math.min(18, width / 40)));
    const layout = layoutNetwork(net.sizes, width, height, { left: Math.round(fontPx * 5.3) });
    this.layout = layout;
    const gradMode = this.showGradients || this.widget.mode === "paso-a-paso";
    const useGrad = gradMode && Array.isArray(net.grad_weights);
    const mats = useGrad ? net.grad_weights : net.weights;
    const m = maxAbs(mats);
    this.legend.textContent = this.widget.tr(useGrad ? "network.legend_grad" : "network.legend");
    // Edges first, nodes on top.
    for (const e of layout.edges) {
      const v = mats?.[e.layer]?.[e.j]?.[e.i];
      const st = weightStyle(v, m);
      ctx.strokeStyle = st.color;
      ctx.lineWidth = st.width;
      ctx.setLineDash(useGrad ? [4, 3] : []);
      ctx.beginPath();
      ctx.moveTo(e.x1, e.y1);
      ctx.lineTo(e.x2, e.y2);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    const mark = (pred, draw) => {
      for (const e of layout.edges) if (pred(e)) draw(e);
    };
    const sel = this.selected;
    const emph = (e) => {
      ctx.strokeStyle = "#e69f00";
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.moveTo(e.x1, e.y1);
      ctx.lineTo(e.x2, e.y2);
      ctx.stroke();
    };
    if (sel?.kind === "edge") mark((e) => e.layer === sel.layer && e.i === sel.i && e.j === sel.j, emph);
    if (highlight?.edge) {
      const h = highlight.edge;
      mark((e) => e.layer === h.layer && e.i === h.i && e.j === h.j, emph);
    }
    const grid = snap.grid;
    const features = snap.data?.feature_names;
    ctx.font = `${fontPx}px system-ui, sans-serif`;
    for (const n of layout.nodes) {
      const x = n.x - n.size / 2;
      const y = n.y - n.size / 2;
      const k = grid && grid.values ? gridNeuronIndex(grid, n.layer, n.j) : -1;
      if (k >= 0) {
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(this._heatmap(grid, k), x, y, n.size, n.size);
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
      ctx.strokeStyle = "#555";
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, n.size - 1, n.size - 1);
      const hl = highlight?.node;
      if ((hl && hl.layer === n.layer && hl.j === n.j) || (sel?.kind === "node" && sel.layer === n.layer && sel.j === n.j)) {
        ctx.strokeStyle = "#e69f00";
        ctx.lineWidth = 3;
        ctx.strokeRect(x - 2, y - 2, n.size + 4, n.size + 4);
      }
      if (n.layer === 0) {
        ctx.fillStyle = "#222";
        ctx.textAlign = "right";
        ctx.textBaseline = "middle";
        const name = features?.[n.j] ?? `x${n.j + 1}`;
        ctx.fillText(fitText(ctx, name, x - 6), x - 4, n.y);
      }
    }
    this.canvas.setAttribute("aria-label", `${this.widget.tr("network.aria")}: ${net.sizes.join("–")}`);
    if (this.selected) this.tip.textContent = this.describe(this.selected);
  }
}
