// A small line chart with a logarithmic y axis: one series per layer over the epochs. Used by
// the gradient-flow panel (gradient norm, update/weight ratio). Only draws what it is given.

import { fitCanvas } from "./canvas.js";
import { formatInteger } from "../format.js";
import { canvasFont, textScale } from "./text-scale.js";

const SUPERSCRIPT = { "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻" };

// "10⁻³": a power of ten as learners read it on an axis.
export function powerLabel(exp) {
  return "10" + [...String(exp)].map((c) => SUPERSCRIPT[c] ?? c).join("");
}

// The decades [lo, hi] (integer exponents) that hold every positive finite value, or null.
export function decadeRange(series) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const v of s) {
      if (typeof v === "number" && Number.isFinite(v) && v > 0) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (lo === Infinity) return null;
  const a = Math.floor(Math.log10(lo));
  const b = Math.max(a + 1, Math.ceil(Math.log10(hi)));
  return [a, b];
}

// Draw series (arrays of values, one per x) over xs on canvas; colors[k] for series k.
export function drawLogLines(canvas, xs, series, colors, theme, lang) {
  const { ctx, width, height } = fitCanvas(canvas);
  const range = decadeRange(series);
  if (!range || xs.length === 0) return false;
  const [a, b] = range;
  const scale = textScale(canvas); // the labels' room grows with their text
  const pad = { l: Math.round(48 * scale), r: 10, t: 8, b: Math.round(22 * scale) };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const x0 = xs[0];
  const x1 = Math.max(xs[xs.length - 1], x0 + 1);
  const X = (x) => pad.l + ((x - x0) / (x1 - x0)) * w;
  const Y = (v) => pad.t + (1 - (Math.log10(v) - a) / (b - a)) * h;
  drawAxes(ctx, { pad, w, h, a, b, x0, x1, Y, scale }, theme, lang);
  ctx.lineWidth = 2;
  series.forEach((s, k) => drawSeries(ctx, s, xs, colors[k], X, Y));
  return true;
}

// The decade lines with their powers of ten, and the first and last epoch under the plot.
function drawAxes(ctx, { pad, w, h, a, b, x0, x1, Y, scale }, theme, lang) {
  ctx.font = canvasFont(12, scale);
  ctx.fillStyle = theme.muted;
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  const step = Math.max(1, Math.ceil((b - a) / 6));
  for (let e = a; e <= b; e += step) {
    const y = Y(10 ** e);
    ctx.beginPath();
    ctx.moveTo(pad.l, y);
    ctx.lineTo(pad.l + w, y);
    ctx.stroke();
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillText(powerLabel(e), pad.l - 4, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.fillText(formatInteger(x0, lang), pad.l, pad.t + h + 4);
  ctx.fillText(formatInteger(x1, lang), pad.l + w - 8, pad.t + h + 4);
}

// One series as a line broken where a value cannot sit on a log axis (missing, zero, infinite).
function drawSeries(ctx, s, xs, color, X, Y) {
  ctx.strokeStyle = color;
  ctx.beginPath();
  let pen = false;
  s.forEach((v, i) => {
    if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    if (pen) ctx.lineTo(X(xs[i]), Y(v));
    else ctx.moveTo(X(xs[i]), Y(v));
    pen = true;
  });
  ctx.stroke();
  // A lone point (one snapshot so far) still shows as a dot.
  const last = s.length - 1;
  if (typeof s[last] === "number" && s[last] > 0) {
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.arc(X(xs[last]), Y(s[last]), 3, 0, 2 * Math.PI);
    ctx.fill();
  }
}
