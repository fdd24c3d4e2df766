// The loss-landscape panel: the loss over two chosen weights around the current point (the
// engine's `landscape` command, weights mode) as a filled contour map with its colour scale,
// the current point and the optimizer's path. Computed on demand, in the worker: the page's
// main thread only sends the command and paints the reply, so it never stalls; a coarse map
// comes first, then the fine one (progress shown), and during training the worker answers
// between two training slices. While training, the current point and the path follow the
// weights of each snapshot; the surface stays the one computed (it says at which epoch).
// The reader may move the current point by hand (drag, arrow keys, or typing either weight):
// landscape-drag.js sets the two weights through the engine, and the path then starts there.

import { el } from "../panels/dom.js";
import { CONTRACT } from "../contract.js";
import { fitCanvas, imageTile } from "./canvas.js";
import { fillContour, LEVELS } from "./contour.js";
import { layerName } from "./network.js";
import { sequentialColor } from "../colors.js";
import { formatNumber, parseDecimal } from "../format.js";
import { PointMover, attachPointer } from "./landscape-drag.js";
import { compareLegend, drawComparePaths, fitSpan, parseCompare } from "./landscape-compare.js";
import { canvasFont, textScale } from "./text-scale.js";

export const RESOLUTIONS = [9, 25]; // coarse first, then fine
const MIN_RESOLUTION = CONTRACT.commands.landscape.args.resolution.min; // enough to get the compared paths
const SPAN = 2;
const RASTER = 120;
const NARROW = 420; // CSS px below which the colour scale goes under the map
const SCALE_UNDER = 28; // its height there

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
    this.canvas = el("canvas", { class: "bp-square", attrs: { role: "img", tabindex: "0", "aria-busy": "false", "aria-label": text("landscape.aria") } });
    this.legend = el("p", { class: "bp-legend", text: `● ${text("landscape.current")} · — ${text("landscape.path")}` });
    this.fields = [0, 1].map(() => this._weightField());
    this.readout = el("p", { class: "bp-legend", attrs: { "aria-live": "polite" } });
    // data-compare (a lesson's preset): the optimizers whose paths the fine map also asks for.
    this.compareNames = parseCompare(ctx.compare);
    this.compared = el("div", { class: "bp-legend bp-compare" });
    this.compared.hidden = true;
    section.append(el("p", { text: text("landscape.hint") }), el("div", { class: "bp-pickers" }, this.a.label, this.b.label, this.button),
      this.progress, this.status, el("figure", {}, this.canvas), this.legend, this.compared,
      el("div", { class: "bp-pickers" }, ...this.fields.map((f) => f.label)), this.readout);
    this.button.addEventListener("click", () => this.compute());
    const params = () => this.result?.params ?? this._params();
    const point = () => this._point(ctx.snapshot(), params());
    this.mover = new PointMover({ call: ctx.call, refresh: ctx.refresh, params, point, moved: () => this._moved(), refused: (e, k) => this._refused(e, k),
      busy: (on) => this.canvas.setAttribute("aria-busy", String(on)) });
    attachPointer(this.canvas, { geometry: () => this.geom, point, dragging: (t) => this._dragging(t) }, this.mover);
    this.result = null;
    this.trail = [];
    this.tile = null;
    this.sizesKey = "";
  }

  // A typed weight: comma or dot; the engine refuses a bad value, shown under the field.
  _weightField() {
    const input = el("input", { attrs: { type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false" } });
    const name = el("span");
    const note = el("span", { class: "bp-field-note", attrs: { "aria-live": "polite" } });
    const field = { input, name, note, label: el("label", {}, name, input, note) };
    input.addEventListener("change", () => {
      const k = this.fields.indexOf(field);
      const value = parseDecimal(input.value) ?? input.value;
      this.mover.move(k === 0 ? [value, null] : [null, value]);
    });
    return field;
  }

  // The engine took a move: the path starts again from the new point.
  _moved() {
    this.restart = true;
    for (const f of this.fields) {
      f.note.textContent = "";
      f.input.removeAttribute("aria-invalid");
    }
  }

  _refused(e, k) {
    const f = this.fields[k];
    f.note.textContent = e.message;
    f.input.setAttribute("aria-invalid", "true");
  }

  _dragging(target) {
    this.target = target;
    this.draw(this.ctx.snapshot());
  }

  _pickers(net) {
    const key = JSON.stringify(net.sizes);
    if (key === this.sizesKey) return;
    this.sizesKey = key;
    this.result = null; // a new network: the old map no longer applies
    this.started = false;
    const options = weightOptions(net, this.ctx.tr);
    for (const [picker, k] of [[this.a, 0], [this.b, 1]]) {
      picker.select.replaceChildren(...options.map((o) => el("option", { text: o.label, attrs: { value: o.value } })));
      picker.select.value = options[Math.min(k, options.length - 1)]?.value ?? "";
    }
  }

  _params() {
    return [this.a.select.value, this.b.select.value].map((v) => v.split(",").map(Number));
  }

  // Coarse, then fine: commands the worker runs between training slices. With optimizers to
  // compare, their paths come first (on the smallest map), and the map is fitted to them.
  async compute() {
    const params = this._params();
    const text = this.ctx.text;
    const steps = RESOLUTIONS.length + (this.compareNames.length ? 1 : 0);
    this.button.disabled = true;
    this.progress.hidden = false;
    this.progress.max = steps;
    try {
      let compared = null;
      let span = SPAN;
      if (this.compareNames.length) {
        this._progress(0, steps);
        const r = await this.ctx.call("landscape", { params, span: SPAN, resolution: MIN_RESOLUTION, compare: this.compareNames });
        compared = { compare: r.compare, compare_epochs: r.compare_epochs };
        span = fitSpan(r.compare, r.center) ?? SPAN;
      }
      for (let k = 0; k < RESOLUTIONS.length; k++) {
        this._progress(steps - RESOLUTIONS.length + k, steps);
        const result = await this.ctx.call("landscape", { params, span, resolution: RESOLUTIONS[k] });
        const snap = this.ctx.snapshot();
        this.result = { ...result, ...compared, epoch: snap?.epoch ?? 0, params };
        compareLegend(this.compared, this.result, text, this.ctx.lang);
        this.trail = [];
        this.start = null;
        this.lastEpoch = snap?.epoch ?? 0;
        this.draw(snap);
      }
      this.progress.value = steps;
      this.button.disabled = false;
      this.draw(this.ctx.snapshot()); // the status says the map is done (an idle widget draws nothing more)
    } catch (e) {
      this.status.textContent = e.message;
    } finally {
      this.button.disabled = false;
      this.progress.hidden = true;
    }
  }

  _progress(done, total) {
    this.progress.value = done;
    this.status.textContent = this.ctx.text("landscape.computing", { done, total });
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
    // The canvas is as tall as the square map plus its axis labels (CSSOM, not a style attribute);
    // on a phone the colour scale goes under the map, so the map (a drag target) stays large.
    const narrow = this.canvas.clientWidth < NARROW;
    const room = narrow ? { w: 28, h: SCALE_UNDER } : { w: 96, h: 0 };
    this.canvas.style.height = `${Math.round(Math.min(this.canvas.clientWidth - room.w - (narrow ? 0 : 24), 480) + 32 + room.h)}px`;
    const { ctx, width, height } = fitCanvas(this.canvas);
    const r = this.result;
    if (!r || !Array.isArray(r.loss)) {
      this.geom = null;
      if (!this.button.disabled) this.status.textContent = "";
      // Opened (by the reader or a lesson's preset): the map of the first two weights at once.
      if (!r && !this.button.disabled && !this.started) {
        this.started = true;
        this.compute();
      }
      return;
    }
    const point = this._point(snap, r.params);
    this._follow(snap, point);
    const size = narrow ? Math.min(width - room.w, height - room.h - 32) : Math.min(width - room.w, height) - 28;
    const geom = { box: { x: 24, y: 4, s: size }, a0: r.alpha[0], a1: r.alpha[r.alpha.length - 1], b0: r.beta[0], b1: r.beta[r.beta.length - 1] };
    this.geom = geom;
    this._map(ctx, geom.box, r);
    this._scale(ctx, geom.box, r, narrow);
    this._marks(ctx, geom, this.start ? [this.start, ...this.trail] : [...(r.path?.alpha || []).map((a, k) => [a, r.path.beta[k]]), ...this.trail], point || r.center, r.compare);
    this._axes(ctx, geom.box);
    this._texts(snap, r, point);
  }

  // The path grows by the weights of each new epoch; after a move by hand or a reset it starts
  // again from the engine's point.
  _follow(snap, point) {
    if (this.restart || !(snap.epoch >= this.lastEpoch)) {
      this.restart = false;
      this.start = point;
      this.trail = [];
    } else if (point && snap.epoch > this.lastEpoch) {
      this.trail.push(point);
    }
    this.lastEpoch = snap.epoch;
  }

  // The path, the current point, the compared paths and, while dragging, a ring where the
  // pointer is.
  _marks(ctx, geom, path, cur, compare) {
    const { box, a0, a1, b0, b1 } = geom;
    const X = (a) => box.x + ((a - a0) / (a1 - a0)) * box.s;
    const Y = (b) => box.y + (1 - (b - b0) / (b1 - b0)) * box.s;
    const colors = this.ctx.colors();
    ctx.save();
    ctx.beginPath();
    ctx.rect(box.x, box.y, box.s, box.s);
    ctx.clip();
    ctx.strokeStyle = colors.highlight;
    ctx.lineWidth = 2;
    ctx.beginPath();
    path.forEach(([a, b], k) => (k ? ctx.lineTo(X(a), Y(b)) : ctx.moveTo(X(a), Y(b))));
    ctx.stroke();
    if (this.target) {
      ctx.strokeStyle = colors.fg;
      ctx.beginPath();
      ctx.arc(X(this.target[0]), Y(this.target[1]), 10, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.fillStyle = colors.highlight;
    ctx.strokeStyle = colors.fg;
    ctx.beginPath();
    ctx.arc(X(cur[0]), Y(cur[1]), 7, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    // Over the point they all start from, so a short path is not hidden under it.
    drawComparePaths(ctx, compare, X, Y);
    ctx.restore();
  }

  _names() {
    return [this.a, this.b].map((p) => p.select.selectedOptions[0]?.textContent.split(" · ")[0] ?? "");
  }

  _axes(ctx, box) {
    const [na, nb] = this._names();
    ctx.fillStyle = this.ctx.colors().muted;
    ctx.font = canvasFont(12, textScale(this.canvas));
    ctx.textAlign = "center";
    ctx.fillText(na, box.x + box.s / 2, box.y + box.s + 18);
    ctx.save();
    ctx.translate(12, box.y + box.s / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(nb, 0, 0);
    ctx.restore();
  }

  // The status (which epoch the surface is from), the two weights' fields and the readout.
  _texts(snap, r, point) {
    const { text, lang } = this.ctx;
    const digits = rangeDigits(r.min, r.max);
    const done = text("landscape.done", { epoch: r.epoch, min: formatNumber(r.min, lang, digits), max: formatNumber(r.max, lang, digits) });
    if (!this.button.disabled) this.status.textContent = snap.epoch > r.epoch ? `${done} ${text("landscape.stale", { epoch: r.epoch })}` : done;
    const names = this._names();
    this.fields.forEach((f, k) => {
      f.name.textContent = text("landscape.type", { name: names[k] });
      if (point && f.input.getRootNode().activeElement !== f.input) f.input.value = formatNumber(point[k], lang);
    });
    this.readout.textContent = point ? text("landscape.point", { a: names[0], b: names[1], va: formatNumber(point[0], lang), vb: formatNumber(point[1], lang), loss: formatNumber(snap.loss, lang) }) : "";
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

  // The colour scale: one band per contour level, loss from min (bottom) to max (top); under
  // the map on a phone, min (left) to max (right).
  _scale(ctx, box, r, under) {
    const lang = this.ctx.lang;
    const x = box.x + box.s + 10;
    const y = box.y + box.s + 30;
    const step = box.s / LEVELS;
    for (let k = 0; k < LEVELS; k++) {
      ctx.fillStyle = sequentialColor((k + 0.5) / LEVELS);
      if (under) ctx.fillRect(box.x + k * step, y, step, 10);
      else ctx.fillRect(x, box.y + box.s - (k + 1) * step, 14, step);
    }
    const [min, max] = [r.min, r.max].map((v) => formatNumber(v, lang, rangeDigits(r.min, r.max)));
    ctx.fillStyle = this.ctx.colors().fg;
    ctx.font = canvasFont(11, textScale(this.canvas));
    ctx.textBaseline = "top";
    if (under) {
      ctx.textAlign = "left";
      ctx.fillText(min, box.x, y + 13);
      ctx.textAlign = "right";
      ctx.fillText(max, box.x + box.s, y + 13);
      return;
    }
    ctx.textAlign = "left";
    ctx.fillText(max, x + 18, box.y);
    ctx.textBaseline = "bottom";
    ctx.fillText(min, x + 18, box.y + box.s);
  }
}
