// The data view: the network's output over the input plane (decision boundary; for regression the
// predicted value, with its colour scale) painted from the grid buffer into ImageData, with the
// training (filled) and validation (ring) points on top.
// Tap or click adds a point of the chosen class (Shift swaps the two classes of a binary task).

import { DIVERGING_LUT, SEQUENTIAL_LUT, VIRIDIS_10, CLASS_COLORS, hexToRgb, fillImage, sequentialColor } from "../colors.js";
import { formatNumber, parseDecimal } from "../format.js";
import { CanvasView, fitCanvas, imageTile } from "./canvas.js";
import { canvasFont, textScale } from "./text-scale.js";
import { setText, setHidden } from "../dom-write.js";
import { nearestPoint, removePoint } from "./point-pick.js";
import { gridNeuron, toPixel, toData, squareRegion } from "./grid.js";
import { inputText } from "../controls/fields.js";

const CLASS_RGB = CLASS_COLORS.map(hexToRgb);
const MAP_ALPHA = 150; // of 255: the map is light enough for the points to stand out

// A target row → class index (binary: the label; one-hot: the position of the 1) or value.
export function targetValue(row, task) {
  const r = Array.isArray(row) ? row : [row];
  if (task === "multiclass") {
    let best = 0;
    for (let k = 1; k < r.length; k++) if (r[k] > r[best]) best = k;
    return best;
  }
  return r[0];
}

// Range of regression targets over both splits (for the viridis scale).
export function valueRange(data) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const split of [data?.train, data?.val]) {
    for (const row of split?.y || []) {
      const v = targetValue(row, "regression");
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (!(hi > lo)) return { lo: Number.isFinite(lo) ? lo - 1 : 0, hi: Number.isFinite(hi) ? hi + 1 : 1 };
  return { lo, hi };
}

// ctx: the view context the element builds: tr, lang, snapshot(), colors(), call(), refresh(),
// notify(), busy(), editable (the reader may add points).
export class DataView extends CanvasView {
  constructor(figure, ctx) {
    super(figure, ctx, "data.aria");
    this.legend = figure.querySelector(".bp-data-legend");
    this.caption = figure.querySelector("figcaption");
    this.scale = this._scaleElement(figure);
    this.titleTask = null;
    this.chosenClass = 0;
    this.regValue = 0.5;
    this.legendKey = "";
    this.editable = ctx.editable ?? true;
    this.tile = null;
    this.cursor = null; // keyboard cursor on the map, fractions [fx, fy] from the top-left
    this.canvas.addEventListener("click", (ev) => this._click(ev));
    if (this.editable) {
      // Keyboard: arrows move a cross on the map, Enter or Space adds the point there.
      this.canvas.tabIndex = 0;
      this.canvas.addEventListener("keydown", (ev) => this._key(ev));
      this.canvas.addEventListener("blur", () => {
        this.cursor = null;
        this.draw(this.ctx.snapshot());
      });
    }
  }

  _click(ev) {
    const r = this.canvas.getBoundingClientRect();
    const sq = squareRegion(r.width, r.height);
    const px = ev.clientX - r.left - sq.x;
    const py = ev.clientY - r.top - sq.y;
    if (px < 0 || py < 0 || px > sq.side || py > sq.side) return;
    // A click on a point removes it; anywhere else adds one.
    const hit = this.editable && !this.ctx.busy() && nearestPoint(this.ctx.snapshot()?.data, px / sq.side, py / sq.side, 7 / sq.side);
    if (hit) removePoint(this.ctx, hit);
    else this._add(px / sq.side, py / sq.side, ev.shiftKey);
  }

  _key(ev) {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (moves[ev.key]) {
      const [dx, dy] = moves[ev.key];
      const c = this.cursor || [0.5, 0.5];
      const clamp = (v) => Math.min(1, Math.max(0, v));
      this.cursor = [clamp(c[0] + dx * 0.05), clamp(c[1] + dy * 0.05)];
      this.draw(this.ctx.snapshot());
    } else if ((ev.key === "Enter" || ev.key === " ") && this.cursor) {
      this._add(this.cursor[0], this.cursor[1], ev.shiftKey);
    } else if ((ev.key === "Delete" || ev.key === "Backspace") && this.cursor) {
      const hit = nearestPoint(this.ctx.snapshot()?.data, this.cursor[0], this.cursor[1], 0.04);
      if (hit) removePoint(this.ctx, hit);
    } else return;
    ev.preventDefault();
  }

  async _add(fx, fy, swap) {
    const snap = this.ctx.snapshot();
    const extent = snap?.data?.extent;
    if (!this.editable || !extent || this.ctx.busy()) return;
    const [x, y] = toData(extent, 1, 1, fx, fy);
    let label = this.chosenClass;
    if (snap.task === "regression") label = this.regValue;
    else if (swap && snap.task === "binary") label = 1 - label;
    try {
      await this.ctx.call("add_point", { x: [x, y], y: label, split: "train" });
      await this.ctx.refresh();
    } catch (e) {
      this.ctx.notify(e.code, e.message);
    }
  }

  _renderLegend(snap) {
    const data = snap.data;
    const key = `${snap.task}|${(data?.class_names || []).join(",")}|${this.editable}`;
    if (key === this.legendKey) return;
    this.legendKey = key;
    const { tr } = this.ctx;
    this.legend.textContent = "";
    const points = document.createElement("span");
    points.textContent = `${tr("data.train_points")} · ${tr("data.val_points")}`;
    this.legend.append(points);
    if (!this.editable) return;
    const group = document.createElement("span");
    group.className = "bp-class-toggle";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", tr("data.class"));
    if (snap.task === "regression") {
      const input = document.createElement("input");
      input.type = "text";
      input.inputMode = "decimal";
      input.size = 5;
      input.value = inputText(this.regValue, this.ctx.lang);
      input.setAttribute("aria-label", tr("data.value"));
      input.addEventListener("change", () => {
        const v = parseDecimal(input.value);
        if (v !== null) this.regValue = v;
      });
      group.append(`${tr("data.value")}: `, input);
    } else {
      (data?.class_names || []).forEach((name, k) => {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = name;
        b.style.borderColor = CLASS_COLORS[k % CLASS_COLORS.length];
        b.setAttribute("aria-pressed", String(k === this.chosenClass));
        b.addEventListener("click", () => {
          this.chosenClass = k;
          for (const o of group.querySelectorAll("button")) o.setAttribute("aria-pressed", String(o === b));
        });
        group.append(b);
      });
    }
    const hint = document.createElement("span");
    hint.textContent = tr(snap.task === "regression" ? "data.add_hint_value" : "data.add_hint");
    this.legend.append(group, hint);
  }

  _background(ctx, width, height, snap) {
    const grid = snap.grid;
    if (!grid?.values || !snap.network) return;
    const out = snap.network.sizes.length - 1;
    const first = gridNeuron(grid, out, 0);
    if (!first) return;
    const res = first.resolution;
    // The same grid again (a hover, a resize): its pixels are already in the tile.
    if (this.tileGrid !== grid || this.tileTask !== snap.task) this._paintBackground(snap, grid, out, res);
    if (!this.tile) return;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.tile.canvas, 0, 0, width, height);
  }

  _paintBackground(snap, grid, out, res) {
    this.tileGrid = grid;
    this.tileTask = snap.task;
    this.tile = imageTile(this.tile, res);
    const px = this.tile.image.data;
    const count = res * res;
    const alpha = MAP_ALPHA;
    if (snap.task === "multiclass") {
      const ks = [];
      for (let c = 0; c < snap.network.sizes[out]; c++) ks.push(gridNeuron(grid, out, c));
      if (ks.some((k) => !k)) return;
      for (let p = 0; p < count; p++) {
        let best = 0;
        let bv = -Infinity;
        for (let c = 0; c < ks.length; c++) {
          const v = grid.values[ks[c].offset + p];
          if (v > bv) { bv = v; best = c; }
        }
        const rgb = CLASS_RGB[best % CLASS_RGB.length];
        const o = p * 4;
        px[o] = rgb[0]; px[o + 1] = rgb[1]; px[o + 2] = rgb[2];
        px[o + 3] = Number.isFinite(bv) ? Math.round(alpha * Math.min(1, Math.max(0, bv))) : 0;
      }
    } else if (snap.task === "regression") {
      const { lo, hi } = valueRange(snap.data);
      fillImage(px, grid.values, gridNeuron(grid, out, 0).offset, count, SEQUENTIAL_LUT, lo, hi, alpha);
    } else {
      // p in [0, 1] onto the inner part of RdBu: light enough for the points on top.
      fillImage(px, grid.values, gridNeuron(grid, out, 0).offset, count, DIVERGING_LUT, -0.3, 1.3, alpha);
    }
    this.tile.ctx.putImageData(this.tile.image, 0, 0);
  }

  // The points change only with the data, the size or the theme: drawn once into an offscreen
  // layer (hundreds of arcs), then one drawImage a frame.
  _pointsLayer(snap, side, colors) {
    const dpr = Math.min(globalThis.devicePixelRatio || 1, 3);
    const key = [snap.data, side, dpr, colors.bg, snap.task];
    const layer = this.pointsLayer;
    if (layer && layer.key.every((v, i) => v === key[i])) return layer.canvas;
    const canvas = layer?.canvas || document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(side * dpr));
    canvas.height = canvas.width;
    const lctx = canvas.getContext("2d");
    lctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    lctx.clearRect(0, 0, side, side);
    this._points(lctx, side, side, snap, "train", true, colors);
    this._points(lctx, side, side, snap, "val", false, colors);
    this.pointsLayer = { key, canvas };
    return canvas;
  }

  _points(ctx, width, height, snap, split, filled, colors) {
    const data = snap.data;
    const pts = data?.[split];
    if (!pts?.x) return;
    const task = snap.task;
    const range = task === "regression" ? valueRange(data) : null;
    const r = width < 300 ? 3 : 4;
    for (let n = 0; n < pts.x.length; n++) {
      const [x, y] = pts.x[n];
      const [cx, cy] = toPixel(data.extent, width, height, x, y);
      const v = targetValue(pts.y[n], task);
      const color = task === "regression"
        ? sequentialColor((v - range.lo) / (range.hi - range.lo))
        : CLASS_COLORS[(task === "binary" ? Math.round(v) : v) % CLASS_COLORS.length];
      ctx.beginPath();
      ctx.arc(cx, cy, r, 0, 2 * Math.PI);
      if (filled) {
        ctx.fillStyle = color;
        ctx.fill();
        ctx.strokeStyle = colors.bg;
        ctx.lineWidth = 1;
        ctx.stroke();
      } else {
        ctx.fillStyle = colors.bg;
        ctx.fill();
        ctx.strokeStyle = color;
        ctx.lineWidth = 2;
        ctx.stroke();
      }
    }
  }

  draw(snap) {
    if (!snap) return;
    const full = fitCanvas(this.canvas);
    const ctx = full.ctx;
    const sq = squareRegion(full.width, full.height);
    ctx.translate(sq.x, sq.y);
    const side = sq.side;
    if (!snap.data?.extent) return;
    const colors = this.ctx.colors();
    this._background(ctx, side, side, snap);
    ctx.drawImage(this._pointsLayer(snap, side, colors), 0, 0, side, side);
    this._renderLegend(snap);
    this._renderTitle(snap.task);
    this._renderScale(snap);
    this._axes(ctx, side, snap.data.extent, colors);
    if (this.cursor) {
      const cx = this.cursor[0] * side;
      const cy = this.cursor[1] * side;
      ctx.strokeStyle = colors.fg;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(cx - 10, cy); ctx.lineTo(cx + 10, cy);
      ctx.moveTo(cx, cy - 10); ctx.lineTo(cx, cy + 10);
      ctx.stroke();
    }
  }

  // A regression map shows a value, not a boundary: its own title and accessible name.
  _renderTitle(task) {
    if (task === this.titleTask) return;
    this.titleTask = task;
    const regression = task === "regression";
    if (this.caption) this.caption.textContent = this.ctx.tr(regression ? "data.title_regression" : "data.title");
    this.canvas.setAttribute("aria-label", this.ctx.tr(regression ? "data.aria_regression" : "data.aria"));
  }

  // The colour scale of a regression map: the viridis bar as the map paints it, its two ends.
  _scaleElement(figure) {
    const box = document.createElement("div");
    box.className = "bp-legend bp-data-scale";
    box.hidden = true;
    const name = document.createElement("span");
    name.className = "bp-scale-name";
    name.textContent = this.ctx.tr("data.scale");
    const lo = document.createElement("span");
    lo.className = "bp-scale-lo";
    const bar = document.createElement("span");
    bar.className = "bp-scale-bar";
    bar.setAttribute("aria-hidden", "true");
    bar.style.backgroundImage = `linear-gradient(90deg, ${VIRIDIS_10.join(", ")})`;
    bar.style.opacity = String(MAP_ALPHA / 255);
    const hi = document.createElement("span");
    hi.className = "bp-scale-hi";
    box.append(name, lo, bar, hi);
    figure.append(box);
    return { box, lo, hi };
  }

  _renderScale(snap) {
    const show = snap.task === "regression";
    setHidden(this.scale.box, !show);
    if (!show) return;
    const { lo, hi } = valueRange(snap.data);
    const lang = this.ctx.lang;
    setText(this.scale.lo, formatNumber(lo, lang));
    setText(this.scale.hi, formatNumber(hi, lang));
  }

  // The plane's extent at three corners: x from left to right along the bottom, y at the top.
  _axes(ctx, side, extent, colors) {
    const [x0, x1, , y1] = extent;
    const lang = this.ctx.lang;
    ctx.fillStyle = colors.fg;
    ctx.font = canvasFont(11, textScale(this.canvas));
    ctx.textBaseline = "bottom";
    ctx.textAlign = "left";
    ctx.fillText(formatNumber(x0, lang, 3), 2, side - 2);
    ctx.textAlign = "right";
    ctx.fillText(formatNumber(x1, lang, 3), side - 2, side - 2);
    ctx.textBaseline = "top";
    ctx.fillText(formatNumber(y1, lang, 3), side - 2, 2);
  }
}
