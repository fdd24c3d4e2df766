// The step-by-step numbers on the network diagram: a drawing pass of its own over the diagram
// (the neurons' thumbnails are painted elsewhere). Each neuron shows what the replay has
// computed so far (z, a, the target y at the output, δ), each weight its gradient and, at the
// update, old → new; the loss sits at the top. Boxes are placed so they do not cover one
// another. Nothing is computed here: the numbers are the engine's trace events
// (steps/replay.js's worksheet).

import { formatNumber } from "../format.js";
import { pick } from "../steps/substitute.js";
import { nodeKey, edgeKey } from "../steps/replay.js";
import { EDGE_LABEL_AT, paramKey, paramOf } from "./network-edit.js";

// Up to this many neurons per layer and hidden layers every number stays on the diagram; beyond,
// only the current layer's (the rest on hover, focus or tap).
export const MAX_DENSE_NEURONS = 4;
export const MAX_DENSE_HIDDEN = 3;
// Edge labels between two layers with at most this many weights; else only the current one's.
export const MAX_EDGE_LABELS = 6;
// A diagram narrower than this (a phone) shows the current layer's numbers only.
export const NARROW_PX = 600;

export function isCrowded(sizes) {
  return Math.max(...sizes) > MAX_DENSE_NEURONS || sizes.length - 2 > MAX_DENSE_HIDDEN;
}

// The lines a neuron shows: [symbol, value] pairs, in the order they were computed.
export function nodeLines(sheet, layer, j, sample, isOutput) {
  const v = sheet.nodes.get(nodeKey(layer, j));
  const lines = [];
  if (!v) return lines;
  if (v.z !== undefined) lines.push(["z", pick(v.z, sample)]);
  if (v.a !== undefined) lines.push(["a", pick(v.a, sample)]);
  if (isOutput && v.a !== undefined && sheet.targets) lines.push(["y", pick(sheet.targets, sample)?.[j]]);
  if (v.delta !== undefined) lines.push(["δ", pick(v.delta, sample)]);
  const b = sheet.biases.get(nodeKey(layer, j));
  if (b?.new !== undefined && b.new !== b.old) lines.push(["b", b.old, b.new]);
  return lines;
}

// The lines a weight shows: its gradient, then old → new.
export function edgeLines(sheet, layer, j, i) {
  const v = sheet.edges.get(edgeKey(layer, j, i));
  const lines = [];
  if (v?.grad !== undefined) lines.push(["∂L/∂w", v.grad]);
  if (v?.new !== undefined) lines.push(["w", v.old, v.new]);
  return lines;
}

export function lineText([name, a, b], lang) {
  return b === undefined ? `${name} = ${formatNumber(a, lang)}` : `${name}: ${formatNumber(a, lang)} → ${formatNumber(b, lang)}`;
}

// A label box's rectangle: lines of text anchored at (x, y), kept inside the canvas (even the
// output layer's boxes at its right edge).
function measure(g, texts, x, y, { fontPx, width, align = "center", valign = "top" }) {
  const lineH = Math.round(fontPx * 1.25);
  const w = Math.max(...texts.map((t) => g.measureText(t).width)) + 8;
  const h = texts.length * lineH + 4;
  const left = Math.max(2, Math.min(width - w - 2, align === "center" ? x - w / 2 : align === "right" ? x - w : x));
  return { x: left, y: valign === "middle" ? y - h / 2 : y, w, h };
}

// Draws a box: its lines on the diagram's background; the current computation's frame in the
// highlight colour, an edited parameter's dashed in the accent colour.
function paint(g, texts, r, { fontPx, colors, accent = false, edited = false }) {
  const lineH = Math.round(fontPx * 1.25);
  g.globalAlpha = 0.88;
  g.fillStyle = colors.bg || "#fff";
  g.fillRect(r.x, r.y, r.w, r.h);
  g.globalAlpha = 1;
  g.strokeStyle = accent ? colors.highlight : edited ? colors.accent || colors.highlight : colors.grid || colors.node;
  g.lineWidth = accent || edited ? 2 : 1;
  if (edited && !accent) g.setLineDash([5, 3]);
  g.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
  g.setLineDash([]);
  g.fillStyle = colors.fg;
  g.textAlign = "left";
  g.textBaseline = "top";
  texts.forEach((t, k) => g.fillText(t, r.x + 4, r.y + 3 + k * lineH));
}

const overlap = (a, b) => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

// Where along its line a weight's box goes: the first of these fractions where it covers no
// neuron, no neuron's numbers and no other weight's box (else the least covered one).
const EDGE_SPOTS = [EDGE_LABEL_AT, 0.58, 0.44, 0.84, 0.3];

function placeEdge(g, texts, e, taken, style) {
  let best = null;
  for (const t of EDGE_SPOTS) {
    const r = measure(g, texts, e.x1 + t * (e.x2 - e.x1), e.y1 + t * (e.y2 - e.y1), { ...style, valign: "middle" });
    const covered = taken.reduce((sum, o) => sum + overlap(r, o), 0);
    if (!best || covered < best.covered) best = { r, covered };
    if (covered === 0) break;
  }
  return best.r;
}

// A neuron's box goes under its square; where the column leaves less room than its lines need,
// the lines pair up ("z = … · a = …"), and a box that would leave the canvas goes above.
function placeNode(g, lines, n, room, style) {
  const lineH = Math.round(style.fontPx * 1.25);
  const texts = lines.length * lineH + 4 > room && lines.length > 1
    ? lines.reduce((out, l, k) => (k % 2 ? (out[out.length - 1] += ` · ${l}`) : out.push(l), out), [])
    : lines;
  const r = measure(g, texts, n.x, n.y + n.size / 2 + 4, style);
  if (r.y + r.h > style.height - 2) r.y = Math.max(2, n.y - n.size / 2 - 4 - r.h);
  return { texts, r };
}

// The room under a column's neurons (the least of them: one layout per column): to the next
// square, or to the canvas's bottom.
function roomUnder(layout, n, height) {
  const col = layout.byLayer[n.layer];
  return Math.min(...col.map((m, k) => (col[k + 1] ? col[k + 1].y - col[k + 1].size / 2 : height) - (m.y + m.size / 2) - 8));
}

// view: {sheet, current, sample, lang}; opts: {fontPx, colors, sizes, selected, names,
// width, height, edited (a Set of paramKey()s), editedWord ("editado")}.
// Returns the boxes written: {text (for the figure's screen-reader twin), rect, and the weight
// or neuron they belong to (kind "edge" or "node", layer, j, i) or kind "loss"}, weights first.
export function drawNumbers(g, layout, view, { fontPx, colors, sizes, selected, names, width, height = Infinity, edited, editedWord }) {
  if (!view?.sheet) return [];
  const { sheet, current, sample = 0, lang } = view;
  const crowded = isCrowded(sizes) || width < NARROW_PX;
  const L = sizes.length;
  g.font = `${fontPx}px system-ui, sans-serif`;
  const style = { fontPx, colors, width, height };
  const picked = (kind, o) => selected?.kind === kind && selected.layer === o.layer && selected.j === o.j && (kind === "node" || selected.i === o.i);
  const entry = (where, item, lines, texts, rect, accent) => {
    const changed = Boolean(edited?.has(paramKey(paramOf(item))));
    return { ...item, rect, texts, accent, edited: changed, text: `${where}: ${lines.join(", ")}${changed ? ` (${editedWord})` : ""}` };
  };
  // Neurons first (their boxes are in a fixed place), then the loss, then the weights around them.
  const nodes = [];
  // The loss's computations belong to the output layer (its prediction and target).
  const focusLayer = typeof current?.layer === "number" ? current.layer : L - 1;
  for (const n of layout.nodes) {
    if (n.layer === 0 || !(!crowded || n.layer === focusLayer || picked("node", n))) continue;
    const lines = nodeLines(sheet, n.layer, n.j, sample, n.layer === L - 1).map((l) => lineText(l, lang));
    if (!lines.length) continue;
    const { texts, r } = placeNode(g, lines, n, roomUnder(layout, n, height), style);
    const accent = Boolean(current && current.layer === n.layer && current.neuron === n.j);
    nodes.push(entry(names.node(n), { kind: "node", ...n }, lines, texts, r, accent));
  }
  const loss = lossEntry(g, layout, sheet, { ...style, lang });
  const taken = [...layout.nodes.map((n) => ({ x: n.x - n.size / 2, y: n.y - n.size / 2, w: n.size, h: n.size })), ...nodes.map((b) => b.rect)];
  if (loss) taken.push(loss.rect);
  const edges = [];
  for (const e of layout.edges) {
    const into = e.layer + 1;
    const isCurrent = Boolean(current && typeof current.source === "number" && current.layer === into && current.neuron === e.j && current.source === e.i);
    const few = sizes[e.layer] * sizes[into] <= MAX_EDGE_LABELS && !crowded;
    if (!few && !isCurrent && !picked("edge", e)) continue;
    const lines = edgeLines(sheet, into, e.j, e.i).map((l) => lineText(l, lang));
    if (!lines.length) continue;
    const r = placeEdge(g, lines, e, taken, style);
    taken.push(r);
    edges.push(entry(names.edge(e), { kind: "edge", ...e }, lines, lines, r, isCurrent));
  }
  const written = [...edges, ...nodes, ...(loss ? [loss] : [])];
  for (const b of written) paint(g, b.texts, b.rect, { ...style, accent: b.accent, edited: b.edited });
  return written;
}

// The loss before the step (and after the update) at the top, over the output layer.
function lossEntry(g, layout, sheet, { fontPx, lang, width }) {
  if (sheet.loss === null) return null;
  const out = layout.byLayer[layout.byLayer.length - 1];
  const top = out[0];
  const text = sheet.lossAfter !== null
    ? `L: ${formatNumber(sheet.loss, lang)} → ${formatNumber(sheet.lossAfter, lang)}`
    : `L = ${formatNumber(sheet.loss, lang)}`;
  // At the top, clear of the lines that converge on a single output neuron.
  const rect = measure(g, [text], top.x + top.size / 2, 4, { fontPx, width, align: "right" });
  return { kind: "loss", rect, texts: [text], text };
}

// The tip under the diagram for a hovered, focused or tapped neuron or weight in step mode.
export function describeNumbers(hit, view, sizes) {
  if (!hit || !view?.sheet) return "";
  const { sheet, sample = 0, lang } = view;
  const lines = hit.kind === "edge"
    ? edgeLines(sheet, hit.layer + 1, hit.j, hit.i)
    : nodeLines(sheet, hit.layer, hit.j, sample, hit.layer === sizes.length - 1);
  return lines.map((l) => lineText(l, lang)).join(" · ");
}
