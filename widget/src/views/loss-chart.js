// The loss chart view: training and validation loss per epoch on one canvas, and the tip that
// reads one epoch's numbers under the pointer. The maths of the axes is in chartScales (tested).

import { historySeries } from "../snapshot.js";
import { formatNumber, formatInteger } from "../format.js";
import { CanvasView, fitCanvas } from "./canvas.js";
import { canvasFont, textScale } from "./text-scale.js";

// The chart's margins for its axis labels at a text scale (views/text-scale.js): a projector's
// larger labels get room in proportion.
export function chartPad(scale = 1) {
  return { left: Math.round(56 * scale), right: 8, top: 8, bottom: Math.round(22 * scale) };
}

// Axis ranges and the data→pixel maps. y starts at 0 (a loss is never negative for our loss
// functions) so "falling" is what the reader sees; a single point still gets a visible range.
// With log=true the y axis is log10 (losses spanning several decades stay readable); values
// ≤ 0 cannot be placed and are left out as gaps.
export function chartScales(series, width, height, pad = chartPad(), log = false) {
  const xs = series.epoch.filter((v) => Number.isFinite(v));
  const ok = log ? (v) => Number.isFinite(v) && v > 0 : (v) => Number.isFinite(v);
  const ys = [...series.loss, ...series.val_loss].filter(ok).map((v) => (log ? Math.log10(v) : v));
  const lo = (a) => a.reduce((m, v) => (v < m ? v : m), Infinity);
  const hi = (a) => a.reduce((m, v) => (v > m ? v : m), -Infinity);
  const x0 = xs.length ? lo(xs) : 0;
  let x1 = xs.length ? hi(xs) : 1;
  if (x1 <= x0) x1 = x0 + 1;
  const ymin = ys.length ? (log ? lo(ys) : Math.min(0, lo(ys))) : 0;
  let ymax = ys.length ? hi(ys) : 1;
  if (ymax <= ymin) ymax = ymin + 1;
  const pw = Math.max(1, width - pad.left - pad.right);
  const ph = Math.max(1, height - pad.top - pad.bottom);
  const t = log ? Math.log10 : (v) => v;
  return {
    x0, x1, y0: ymin, y1: ymax, pad, log,
    x: (v) => pad.left + ((v - x0) / (x1 - x0)) * pw,
    y: (v) => pad.top + (1 - (t(v) - ymin) / (ymax - ymin)) * ph,
    // the data value at a fraction f of the axis height (for the tick labels)
    at: (f) => (log ? 10 ** (ymin + f * (ymax - ymin)) : ymin + f * (ymax - ymin)),
  };
}

function line(ctx, s, epochs, values, color, dashed) {
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.setLineDash(dashed ? [5, 3] : []);
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null || !Number.isFinite(epochs[i]) || (s.log && !(v > 0))) { pen = false; continue; }
    const px = s.x(epochs[i]);
    const py = s.y(v);
    if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
    pen = true;
  }
  ctx.stroke();
  ctx.setLineDash([]);
}

// Draws the series (historySeries of a snapshot's history); colours are the theme's (theme.js): fg, muted, grid, train, val.
export function drawLossChart(canvas, series, lang, colors, log = false, emptyText = "") {
  const { ctx, width, height } = fitCanvas(canvas);
  const scale = textScale(canvas);
  const s = chartScales(series, width, height, chartPad(scale), log);
  ctx.font = canvasFont(12, scale);
  ctx.fillStyle = colors.fg;
  ctx.strokeStyle = colors.grid;
  ctx.lineWidth = 1;
  // Three horizontal grid lines with their values.
  for (let k = 0; k <= 2; k++) {
    const v = s.at(k / 2);
    const py = Math.round(s.y(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(s.pad.left, py);
    ctx.lineTo(width - s.pad.right, py);
    ctx.stroke();
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillText(formatNumber(v, lang, 3), s.pad.left - 4, py);
  }
  ctx.textAlign = "left";
  ctx.textBaseline = "bottom";
  ctx.fillText(formatInteger(s.x0, lang), s.pad.left, height - 2);
  ctx.textAlign = "right";
  ctx.fillText(formatInteger(s.x1, lang), width - s.pad.right, height - 2);
  line(ctx, s, series.epoch, series.val_loss, colors.val, true);
  line(ctx, s, series.epoch, series.loss, colors.train, false);
  if (series.epoch.length <= 1 && emptyText) {
    ctx.fillStyle = colors.muted;
    emptyMessage(ctx, s, width, height, emptyText, scale);
  }
  return s;
}

// The hint shown before any training, on two lines when one does not fit.
function emptyMessage(ctx, s, width, height, text, scale) {
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  const room = width - s.pad.left - s.pad.right - 8;
  const cx = s.pad.left + room / 2 + 4;
  let lines = [text];
  if (ctx.measureText(text).width > room) {
    // Split at the space nearest the middle.
    const mid = text.length / 2;
    let cut = -1;
    for (let i = 0; i < text.length; i++) if (text[i] === " " && (cut < 0 || Math.abs(i - mid) < Math.abs(cut - mid))) cut = i;
    if (cut > 0) lines = [text.slice(0, cut), text.slice(cut + 1)];
  }
  lines.forEach((t, k) => ctx.fillText(t, cx, height / 2 - 12 * scale + (k - (lines.length - 1) / 2) * 16 * scale, room));
}

// Index of the history entry nearest to a pointer x (pixels), or -1 without history.
export function nearestEpochIndex(series, scales, px) {
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < series.epoch.length; i++) {
    const d = Math.abs(scales.x(series.epoch[i]) - px);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

// The chart as a view. ctx: the view context the element builds (tr, lang, colors()).
export class LossChartView extends CanvasView {
  constructor(figure, ctx) {
    super(figure, ctx, "chart.aria");
    this.tip = figure.querySelector(".bp-chart-tip");
    this.log = false;
    this.scales = null;
    this.series = null;
    // Hover or tap reads the numbers of one epoch (no hover-only information).
    const read = (ev) => this.read(ev.clientX - this.canvas.getBoundingClientRect().left);
    this.canvas.addEventListener("pointermove", read);
    this.canvas.addEventListener("click", read);
  }

  setLog(on) {
    this.log = !!on;
  }

  // The tip for the epoch nearest to x (CSS pixels from the canvas's left edge).
  read(x) {
    if (!this.scales || !this.series) return;
    const i = nearestEpochIndex(this.series, this.scales, x);
    if (i < 0) return;
    const { tr, lang } = this.ctx;
    this.tip.textContent = tr("chart.tip", {
      epoch: formatInteger(this.series.epoch[i], lang),
      loss: formatNumber(this.series.loss[i], lang),
      val: formatNumber(this.series.val_loss[i], lang),
    });
  }

  draw(snap) {
    if (!snap) return;
    this.series = historySeries(snap.history);
    this.scales = drawLossChart(this.canvas, this.series, this.ctx.lang, this.ctx.colors(), this.log, this.ctx.tr("chart.empty"));
  }
}
