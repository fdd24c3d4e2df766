// The loss-landscape panel: the loss over two chosen weights around the current point (the
// engine's `landscape` command, weights mode) as a filled contour map with its colour scale,
// the current point and the optimizer's path. Computed on demand, in the worker: the page's
// main thread only sends the command and paints the reply, so it never stalls; a coarse map
// comes first, then the fine one (progress shown), and during training the worker answers
// between two training slices. While training, the current point and the path follow the
// weights of each snapshot; the surface stays the one computed (it says at which epoch).

import { el } from "../panels/dom.js";
import { fitCanvas, imageTile } from "./canvas.js";
import { fillContour, LEVELS } from "./contour.js";
import { layerName } from "./network.js";
import { sequentialColor } from "../colors.js";
import { formatNumber } from "../format.js";

export const RESOLUTIONS = [9, 25]; // coarse first, then fine
const SPAN = 2;
const RASTER = 120;

// Significant digits that tell min from max apart (a flat landscape needs more than four).
export function rangeDigits(lo, hi) {
  const rel = Math.abs(hi - lo) / Math.max(Math.abs(hi), Math.abs(lo), 1e-300);
  return rel > 0 ? Math.min(8, Math.max(4, Math.ceil(-Math.log10(rel)) + 2)) : 4;
}

// Every weight of the network as a picker option: {value: "l,j,i", param: [l, j, i], label}.
export function weightOptions(net, tr) {
  const L = net?.sizes?.length || 0;
  const out = [];
  (net?.weights || []).forEach((m, l) => m.forEach((row, j) => row.forEach((_, i) => {
    out.push({ value: `${l},${j},${i}`, param: [l, j, i],
      label: `w${l + 1}[${j + 1},${i + 1}] · ${layerName(tr, l, L)} ${i + 1} → ${layerName(tr, l + 1, L)} ${j + 1}` });
  })));
  return out;
}

export class LandscapeView {
  constructor(section, ctx) {
    this.ctx = ctx;
    const text = ctx.text;
    const picker = (key) => {
      const select = el("select");
      return { select, label: el("label", {}, text(key), select) };
    };
    this.a = picker("landscape.axis_a");
    this.b = picker("landscape.axis_b");
    this.button = el("button", { text: text("landscape.compute"), attrs: { type: "button", class: "bp-primary" } });
    this.progress = el("progress", { class: "bp-progress", attrs: { max: String(RESOLUTIONS.length), value: "0", "aria-label": text("landscape.compute") } });
    this.progress.hidden = true;
    this.status = el("p", { attrs: { role: "status" } });
    this.canvas = el("canvas", { class: "bp-square", attrs: { role: "img", "aria-label": text("landscape.aria") } });
    this.legend = el("p", { class: "bp-legend", text: `● ${text("landscape.current")} · — ${text("landscape.path")}` });
    section.append(el("p", { text: text("landscape.hint") }), el("div", { class: "bp-pickers" }, this.a.label, this.b.label, this.button),
      this.progress, this.status, el("figure", {}, this.canvas), this.legend);
    this.button.addEventListener("click", () => this.compute());
    this.result = null;
    this.trail = [];
    this.tile = null;
    this.sizesKey = "";
  }

  _pickers(net) {
    const key = JSON.stringify(net.sizes);
    if (key === this.sizesKey) return;
    this.sizesKey = key;
    this.result = null; // a new network: the old map no longer applies
    const options = weightOptions(net, this.ctx.tr);
    for (const [picker, k] of [[this.a, 0], [this.b, 1]]) {
      picker.select.replaceChildren(...options.map((o) => el("option", { text: o.label, attrs: { value: o.value } })));
      picker.select.value = options[Math.min(k, options.length - 1)]?.value ?? "";
    }
  }

  _params() {
    return [this.a.select.value, this.b.select.value].map((v) => v.split(",").map(Number));
  }

  // Coarse, then fine: two commands the worker runs between training slices.
  async compute() {
    const params = this._params();
    const text = this.ctx.text;
    this.button.disabled = true;
    this.progress.hidden = false;
    try {
      for (let k = 0; k < RESOLUTIONS.length; k++) {
        this.progress.value = k;
        this.status.textContent = text("landscape.computing", { done: k, total: RESOLUTIONS.length });
        const result = await this.ctx.call("landscape", { params, span: SPAN, resolution: RESOLUTIONS[k] });
        const snap = this.ctx.snapshot();
        this.result = { ...result, epoch: snap?.epoch ?? 0, params };
        this.trail = [];
        this.draw(snap);
      }
      this.progress.value = RESOLUTIONS.length;
    } catch (e) {
      this.status.textContent = e.message;
    } finally {
      this.button.disabled = false;
      this.progress.hidden = true;
    }
  }

  // The two weights' values in a snapshot (the engine's), or null.
  _point(snap, params) {
    const w = snap?.network?.weights;
    const v = params.map(([l, j, i]) => w?.[l]?.[j]?.[i]);
    return v.every((x) => typeof x === "number") ? v : null;
  }

  draw(snap) {
    if (!snap?.network) return;
    this._pickers(snap.network);
    const { text, lang } = this.ctx;
    const scaleW = 96;
    // The canvas is as tall as the square map plus its axis labels (CSSOM, not a style attribute).
    this.canvas.style.height = `${Math.round(Math.min(this.canvas.clientWidth - scaleW - 24, 480) + 32)}px`;
    const { ctx, width, height } = fitCanvas(this.canvas);
    const r = this.result;
    if (!r || !Array.isArray(r.loss)) {
      if (!this.button.disabled) this.status.textContent = "";
      return;
    }
    const point = this._point(snap, r.params);
    const last = this.trail[this.trail.length - 1];
    if (point && snap.epoch > r.epoch && (!last || last[0] !== point[0] || last[1] !== point[1])) this.trail.push(point);
    const size = Math.min(width - scaleW, height) - 28;
    const box = { x: 24, y: 4, s: size };
    this._map(ctx, box, r);
    this._scale(ctx, box, r, lang);
    const [a0, a1] = [r.alpha[0], r.alpha[r.alpha.length - 1]];
    const [b0, b1] = [r.beta[0], r.beta[r.beta.length - 1]];
    const X = (a) => box.x + ((a - a0) / (a1 - a0)) * box.s;
    const Y = (b) => box.y + (1 - (b - b0) / (b1 - b0)) * box.s;
    const colors = this.ctx.colors();
    const path = [...(r.path?.alpha || []).map((a, k) => [a, r.path.beta[k]]), ...this.trail];
    ctx.save();
    ctx.beginPath();
    ctx.rect(box.x, box.y, box.s, box.s);
    ctx.clip();
    ctx.strokeStyle = colors.highlight;
    ctx.lineWidth = 2;
    ctx.beginPath();
    path.forEach(([a, b], k) => (k ? ctx.lineTo(X(a), Y(b)) : ctx.moveTo(X(a), Y(b))));
    ctx.stroke();
    const cur = point || r.center;
    ctx.fillStyle = colors.highlight;
    ctx.strokeStyle = colors.fg;
    ctx.beginPath();
    ctx.arc(X(cur[0]), Y(cur[1]), 6, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    ctx.restore();
    ctx.fillStyle = colors.muted;
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillText(this.a.select.selectedOptions[0]?.textContent.split(" · ")[0] ?? "", box.x + box.s / 2, box.y + box.s + 18);
    ctx.save();
    ctx.translate(12, box.y + box.s / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(this.b.select.selectedOptions[0]?.textContent.split(" · ")[0] ?? "", 0, 0);
    ctx.restore();
    const digits = rangeDigits(r.min, r.max);
    const done = text("landscape.done", { epoch: r.epoch, min: formatNumber(r.min, lang, digits), max: formatNumber(r.max, lang, digits) });
    if (!this.button.disabled) this.status.textContent = snap.epoch > r.epoch ? `${done} ${text("landscape.stale", { epoch: r.epoch })}` : done;
  }

  _map(ctx, box, r) {
    // Painted once per result: while training only the point and the path move.
    if (this.tileResult !== r) {
      this.tile = imageTile(this.tile, RASTER);
      fillContour(this.tile.image.data, RASTER, r.loss, r.min, r.max);
      this.tile.ctx.putImageData(this.tile.image, 0, 0);
      this.tileResult = r;
    }
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.tile.canvas, box.x, box.y, box.s, box.s);
  }

  // The colour scale: one band per contour level, loss from min (bottom) to max (top).
  _scale(ctx, box, r, lang) {
    const x = box.x + box.s + 10;
    const h = box.s / LEVELS;
    for (let k = 0; k < LEVELS; k++) {
      ctx.fillStyle = sequentialColor((k + 0.5) / LEVELS);
      ctx.fillRect(x, box.y + box.s - (k + 1) * h, 14, h);
    }
    const colors = this.ctx.colors();
    ctx.fillStyle = colors.fg;
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.fillText(formatNumber(r.max, lang, rangeDigits(r.min, r.max)), x + 18, box.y);
    ctx.textBaseline = "bottom";
    ctx.fillText(formatNumber(r.min, lang, rangeDigits(r.min, r.max)), x + 18, box.y + box.s);
  }
}
