// Optimizers compared on the loss landscape: the paths the engine's `landscape` command returns
// with `compare` (one per optimizer, all from the same point), each drawn in its own colour, dash
// and end marker over a black halo, so they stay apart on the light and dark ends of the colour
// map, in either theme and without colour; the legend is a list that also states each final loss.

import { el } from "../panels/dom.js";
import { formatNumber } from "../format.js";

// One style per compared path (the engine compares at most five optimizers).
export const PATH_STYLES = [
  { color: "#ffffff", dash: [], marker: "circle" },
  { color: "#ff5a4e", dash: [7, 4], marker: "square" },
  { color: "#f7a6d8", dash: [2, 3], marker: "triangle" },
  { color: "#56b4e9", dash: [8, 3, 2, 3], marker: "diamond" },
  { color: "#e69f00", dash: [12, 4], marker: "cross" },
];
const HALO = "#000000";

// How far past the farthest compared point the map reaches (room for the end markers).
export const FIT_MARGIN = 1.15;

// The half-width of a map centred on `center` that holds every compared path with a margin,
// rounded up to two significant digits (axes that read well); null when there is nothing to fit.
export function fitSpan(compare, center, margin = FIT_MARGIN) {
  let far = 0;
  for (const p of compare || []) {
    for (const a of p.alpha || []) far = Math.max(far, Math.abs(a - center[0]));
    for (const b of p.beta || []) far = Math.max(far, Math.abs(b - center[1]));
  }
  if (!(far > 0 && Number.isFinite(far))) return null;
  const unit = 10 ** (Math.floor(Math.log10(far * margin)) - 1);
  return Number((Math.ceil((far * margin) / unit) * unit).toPrecision(2)); // no float noise on the axes
}

// data-compare="sgd,momentum,adam" → the optimizer names (empty: no comparison).
export function parseCompare(attr) {
  return String(attr || "").split(",").map((s) => s.trim()).filter(Boolean);
}

// The legend's lines: "SGD: pérdida final 0,197 (línea continua blanca, marca redonda)".
export function compareLines(compare, text, lang) {
  return (compare || []).map((p, k) =>
    `${text("landscape.compare_item", { name: p.label, loss: formatNumber(p.final_loss, lang) })} (${text(`landscape.style.${k % PATH_STYLES.length}`)})`);
}

function marker(ctx, kind, x, y, r) {
  ctx.beginPath();
  if (kind === "circle") ctx.arc(x, y, r, 0, 2 * Math.PI);
  else if (kind === "square") ctx.rect(x - r, y - r, 2 * r, 2 * r);
  else if (kind === "triangle") {
    ctx.moveTo(x, y - r * 1.2);
    ctx.lineTo(x + r * 1.1, y + r * 0.8);
    ctx.lineTo(x - r * 1.1, y + r * 0.8);
    ctx.closePath();
  } else if (kind === "diamond") {
    ctx.moveTo(x, y - r * 1.3);
    ctx.lineTo(x + r * 1.3, y);
    ctx.lineTo(x, y + r * 1.3);
    ctx.lineTo(x - r * 1.3, y);
    ctx.closePath();
  } else {
    ctx.moveTo(x - r, y - r);
    ctx.lineTo(x + r, y + r);
    ctx.moveTo(x + r, y - r);
    ctx.lineTo(x - r, y + r);
  }
}

function stroke(ctx, pts, style, r) {
  ctx.beginPath();
  pts.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.stroke();
  const [x, y] = pts[pts.length - 1];
  marker(ctx, style.marker, x, y, r);
  if (style.marker === "cross") ctx.stroke();
  else {
    ctx.fill();
    ctx.stroke();
  }
}

// One path: a wider, solid black halo, then the dashed colour; width and marker size scale.
function haloed(ctx, pts, style, width, r) {
  ctx.setLineDash([]);
  ctx.strokeStyle = HALO;
  ctx.fillStyle = HALO;
  ctx.lineWidth = width * 2;
  stroke(ctx, pts, style, r * 1.35);
  ctx.setLineDash(style.dash);
  ctx.strokeStyle = style.color;
  ctx.fillStyle = style.color;
  ctx.lineWidth = width;
  stroke(ctx, pts, style, r);
}

// Pixel length of a polyline.
function span(pts) {
  let n = 0;
  for (let i = 1; i < pts.length; i++) n += Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
  return n;
}

// Every compared path on the map; X, Y: the map's coordinates in canvas pixels. They all start
// at one point, so the longest goes under and the shortest on top, where nothing hides it.
export function drawComparePaths(ctx, compare, X, Y) {
  const paths = (compare || []).map((p, k) => ({ k, pts: p.alpha.map((a, i) => [X(a), Y(p.beta[i])]) }))
    .filter((p) => p.pts.length);
  paths.sort((a, b) => span(b.pts) - span(a.pts));
  ctx.save();
  ctx.lineJoin = "round";
  for (const { k, pts } of paths) haloed(ctx, pts, PATH_STYLES[k % PATH_STYLES.length], 2.5, 4.5);
  ctx.restore();
}

// A swatch for the legend: a small canvas with the path's line and marker on a dark ground.
function swatch(style) {
  const c = el("canvas", { class: "bp-swatch", attrs: { width: "40", height: "14", "aria-hidden": "true" } });
  // Its own size (CSSOM, not a style attribute): the panel's canvases otherwise fill the width.
  Object.assign(c.style, { width: "40px", height: "14px", display: "inline-block", verticalAlign: "middle" });
  const ctx = c.getContext?.("2d");
  if (ctx) {
    ctx.fillStyle = "#440154"; // the colour map's low end
    ctx.fillRect(0, 0, 40, 14);
    haloed(ctx, [[4, 7], [32, 7]], style, 2, 3.5);
  }
  return c;
}

// The legend: a heading and one list item per path (read by screen readers as text).
export function compareLegend(node, result, text, lang) {
  const compare = result?.compare;
  node.hidden = !compare?.length;
  if (!compare?.length) {
    node.replaceChildren();
    return;
  }
  const lines = compareLines(compare, text, lang);
  // The paths are a fixed comparison from one point: training the network draws its own path
  // over them (the question a lesson asks: which one does it follow?).
  node.replaceChildren(
    el("p", { text: text("landscape.compare", { epochs: result.compare_epochs, epoch: result.epoch }) }),
    el("ul", {}, ...lines.map((line, k) => el("li", { attrs: { "data-optimizer": compare[k].optimizer } },
      swatch(PATH_STYLES[k % PATH_STYLES.length]), ` ${line}`))),
    el("p", { class: "bp-compare-fixed", text: text("landscape.compare_fixed", { epoch: result.epoch }) }));
}
