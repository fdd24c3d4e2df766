// The network diagram's text sizes and its input column: the features' names measured, on two
// lines when one would crowd the layers, so a long name (unit 10's «tamaño de la lesión (cm)»)
// is read whole instead of cut. Pure, so it can be tested with any measure (ctx.measureText).

// The diagram's label size: 12 px growing with a wider canvas up to 18 px, times the widget's
// text scale (views/text-scale.js), so on a projector it reads like the widget's own text; never
// above that text (16 px × scale) once scaled, so step mode's numbers keep their room.
export function diagramFontPx(width, scale = 1) {
  const grown = Math.max(12, Math.min(18, width / 40)) * scale;
  return Math.round(Math.min(grown, Math.max(18, 16 * scale)));
}

// Shorten a label with "…" until it fits maxWidth pixels (the full name is in the tip).
function fitText(measure, text, maxWidth) {
  if (measure(text) <= maxWidth) return text;
  let t = text;
  while (t.length > 1 && measure(t + "…") > maxWidth) t = t.slice(0, -1);
  return t + "…";
}

// A feature's name on one line, or on two split at the space that makes the longer line
// shortest when one line would be wider than `cap`; "…" only when a line still does not fit.
export function splitLabel(name, measure, cap) {
  if (measure(name) <= cap) return [name];
  let best = null;
  for (let k = name.indexOf(" "); k > 0; k = name.indexOf(" ", k + 1)) {
    const pair = [name.slice(0, k), name.slice(k + 1)];
    const longest = Math.max(...pair.map(measure));
    if (!best || longest < best.longest) best = { pair, longest };
  }
  return (best ? best.pair : [name]).map((t) => fitText(measure, t, cap));
}

// Between an input label's end and its square (the text ends 4 px before the square).
const LABEL_GAP = 10;

// The input column: each feature's lines, their height and the room they take (`left`, for
// layoutNetwork): the widest line plus a gap, never less than the nine-character column it
// always had; a line never wider than a third of the canvas (the layers keep the rest).
export function inputLabels(names, measure, width, fontPx) {
  const floor = Math.round(fontPx * 5.3);
  const cap = Math.max(floor - LABEL_GAP, Math.round(width / 3));
  const lines = names.map((name) => splitLabel(name, measure, cap));
  const widest = Math.max(0, ...lines.flat().map(measure));
  return { lines, left: Math.max(floor, Math.ceil(widest) + LABEL_GAP), lineH: Math.round(fontPx * 1.2) };
}
