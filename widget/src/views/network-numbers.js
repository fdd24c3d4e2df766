// The step-by-step numbers on the network diagram: a drawing pass of its own over the diagram
// (the neurons' thumbnails are painted elsewhere). Each neuron shows what the replay has
// computed so far (z, a, the target y at the output, δ), each weight its gradient and, at the
// update, old → new; the loss sits by the output layer. Nothing is computed here: the numbers
// are the engine's trace events (steps/replay.js's worksheet).

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

// A label box: lines of text on the diagram's background, anchored at (x, y); returns its
// rectangle {x, y, w, h} (clicking it opens the value's field). An edited parameter's box has a
// dashed frame in the accent colour.
function box(g, texts, x, y, { fontPx, colors, width, align = "center", valign = "top", accent = false, edited = false }) {
  if (!texts.length) return null;
  const lineH = Math.round(fontPx * 1.25);
  const w = Math.max(...texts.map((t) => g.measureText(t).width)) + 8;
  const h = texts.length * lineH + 4;
  // Inside the canvas, even for the output layer's boxes at its right edge.
  const left = Math.max(2, Math.min(width - w - 2, align === "center" ? x - w / 2 : align === "right" ? x - w : x));
  const top = valign === "middle" ? y - h / 2 : y;
  g.globalAlpha = 0.88;
  g.fillStyle = colors.bg || "#fff";
  g.fillRect(left, top, w, h);
  g.globalAlpha = 1;
  g.strokeStyle = accent ? colors.highlight : edited ? colors.accent || colors.highlight : colors.grid || colors.node;
  g.lineWidth = accent || edited ? 2 : 1;
  if (edited && !accent) g.setLineDash([5, 3]);
  g.strokeRect(left + 0.5, top + 0.5, w - 1, h - 1);
  g.setLineDash([]);
  g.fillStyle = colors.fg;
  g.textAlign = "left";
  g.textBaseline = "top";
  texts.forEach((t, k) => g.fillText(t, left + 4, top + 3 + k * lineH));
  return { x: left, y: top, w, h };
}

// view: {sheet, current, sample, lang}; opts: {fontPx, colors, sizes, selected, names,
// width, edited (a Set of paramKey()s), editedWord ("editado")}.
// Returns the boxes written: {text (for the figure's screen-reader twin), rect, and the weight
// or neuron they belong to (kind "edge" or "node", layer, j, i) or kind "loss"}.
export function drawNumbers(g, layout, view, { fontPx, colors, sizes, selected, names, width, edited, editedWord }) {
  if (!view?.sheet) return [];
  const written = [];
  const write = (where, item, lines, x, y, style) => {
    if (!lines.length) return;
    const changed = Boolean(edited?.has(paramKey(paramOf(item))));
    const rect = box(g, lines, x, y, { ...style, edited: changed });
    written.push({ ...item, rect, text: `${where}: ${lines.join(", ")}${changed ? ` (${editedWord})` : ""}` });
  };
  const { sheet, current, sample = 0, lang } = view;
  const crowded = isCrowded(sizes) || width < NARROW_PX;
  const L = sizes.length;
  g.font = `${fontPx}px system-ui, sans-serif`;
  const isCurrentNode = (n) => current && current.layer === n.layer && current.neuron === n.j;
  const picked = (kind, o) => selected?.kind === kind && selected.layer === o.layer && selected.j === o.j && (kind === "node" || selected.i === o.i);
  for (const e of layout.edges) {
    const into = e.layer + 1;
    const isCurrent = current && typeof current.source === "number" && current.layer === into && current.neuron === e.j && current.source === e.i;
    const few = sizes[e.layer] * sizes[into] <= MAX_EDGE_LABELS && !crowded;
    if (!few && !isCurrent && !picked("edge", e)) continue;
    const lines = edgeLines(sheet, into, e.j, e.i).map((l) => lineText(l, lang));
    const t = EDGE_LABEL_AT;
    write(names.edge(e), { kind: "edge", ...e }, lines, e.x1 + t * (e.x2 - e.x1), e.y1 + t * (e.y2 - e.y1), { fontPx, colors, width, valign: "middle", accent: isCurrent });
  }
  // The loss's computations belong to the output layer (its prediction and target).
  const focusLayer = typeof current?.layer === "number" ? current.layer : L - 1;
  for (const n of layout.nodes) {
    if (n.layer === 0) continue;
    const show = !crowded || n.layer === focusLayer || picked("node", n);
    if (!show) continue;
    const lines = nodeLines(sheet, n.layer, n.j, sample, n.layer === L - 1).map((l) => lineText(l, lang));
    write(names.node(n), { kind: "node", ...n }, lines, n.x, n.y + n.size / 2 + 4, { fontPx, colors, width, accent: isCurrentNode(n) });
  }
  const loss = lossBox(g, layout, sheet, { fontPx, colors, lang, width });
  if (loss) written.push(loss);
  return written;
}

// The loss before the step (and after the update) above the output layer.
function lossBox(g, layout, sheet, { fontPx, colors, lang, width }) {
  if (sheet.loss === null) return null;
  const out = layout.byLayer[layout.byLayer.length - 1];
  const top = out[0];
  const lines = [`L = ${formatNumber(sheet.loss, lang)}`];
  if (sheet.lossAfter !== null) lines[0] = `L: ${formatNumber(sheet.loss, lang)} → ${formatNumber(sheet.lossAfter, lang)}`;
  const rect = box(g, lines, top.x + top.size / 2, Math.max(2, top.y - top.size / 2 - fontPx * 1.6), { fontPx, colors, width, align: "right" });
  return { kind: "loss", rect, text: lines[0] };
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
