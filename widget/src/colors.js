// Colour scales. The stops are published values (data, not code): ColorBrewer RdBu (11 classes,
// colour-blind safe, diverging) for signed quantities, viridis for regression values, and the
// Okabe–Ito palette for class labels. Lookups go through 256-entry tables so drawing a heatmap
// is one array read per pixel.

// ColorBrewer RdBu, 11 classes, from negative (red) to positive (blue).
export const RDBU_11 = [
  "#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7",
  "#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#053061",
];

// The same RdBu stops for strokes on a dark background (dark mode): the strongest values take
// the pale ends, which stand out most against the background, and the faintest the saturated
// middle stops; the darkest stops (#67001f, #053061) would vanish into it. Red stays negative,
// blue positive. The middle is a neutral grey for a missing value.
export const RDBU_ON_DARK = ["#f4a582", "#d6604d", "#b2182b", "#8a8f98", "#2166ac", "#4393c3", "#92c5de"];

// viridis, 10 evenly spaced samples (matplotlib / d3-scale-chromatic).
export const VIRIDIS_10 = [
  "#440154", "#482878", "#3e4989", "#31688e", "#26828e",
  "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725",
];

// Okabe & Ito (2008), colour-blind safe categorical palette; the first two are the classes of a
// binary problem and agree in hue with the two ends of RdBu.
export const CLASS_COLORS = ["#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#000000"];

export function hexToRgb(hex) {
  const h = hex.replace("#", "");
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

// A 256×RGB lookup table interpolated linearly between evenly spaced stops.
export function buildLut(stops, size = 256) {
  const rgb = stops.map(hexToRgb);
  const lut = new Uint8ClampedArray(size * 3);
  for (let i = 0; i < size; i++) {
    const pos = (i / (size - 1)) * (rgb.length - 1);
    const k = Math.min(Math.floor(pos), rgb.length - 2);
    const f = pos - k;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(rgb[k][c] * (1 - f) + rgb[k + 1][c] * f);
  }
  return lut;
}

export const DIVERGING_LUT = buildLut(RDBU_11);
const ON_DARK_LUT = buildLut(RDBU_ON_DARK);
export const SEQUENTIAL_LUT = buildLut(VIRIDIS_10);

// Index into a LUT for t in [0, 1] (clamped; non-finite → middle, which is neutral grey for RdBu).
export function lutIndex(t, size = 256) {
  if (!Number.isFinite(t)) return (size >> 1);
  const c = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.round(c * (size - 1));
}

// Relative luminance (WCAG) of "#rgb", "#rrggbb" or "rgb(r, g, b)"; null for anything else.
export function luminance(css) {
  const s = String(css ?? "").trim();
  let rgb = null;
  if (/^#[0-9a-f]{6}$/i.test(s)) rgb = hexToRgb(s);
  else if (/^#[0-9a-f]{3}$/i.test(s)) rgb = [...s.slice(1)].map((c) => parseInt(c + c, 16));
  else if (/^rgba?\(/i.test(s)) rgb = (s.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  if (!rgb || rgb.length < 3) return null;
  const lin = rgb.map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

// The diverging scale for strokes over ``background`` (the theme's --bp-bg): RdBu on a light
// (or unreadable) background, RDBU_ON_DARK on a dark one. The last answer is kept: every edge
// of every frame asks, and the background changes only with the theme.
let lastStroke = { background: undefined, lut: DIVERGING_LUT };
export function strokeLut(background) {
  if (background !== lastStroke.background) {
    const l = luminance(background);
    lastStroke = { background, lut: l !== null && l < 0.18 ? ON_DARK_LUT : DIVERGING_LUT };
  }
  return lastStroke.lut;
}

// CSS colour for a signed value in [-1, 1] on a diverging scale (RdBu unless a LUT is given).
export function divergingColor(v, lut = DIVERGING_LUT) {
  const i = lutIndex((v + 1) / 2) * 3;
  return `rgb(${lut[i]},${lut[i + 1]},${lut[i + 2]})`;
}

export function sequentialColor(t) {
  const i = lutIndex(t) * 3;
  const l = SEQUENTIAL_LUT;
  return `rgb(${l[i]},${l[i + 1]},${l[i + 2]})`;
}

// Map a weight to a colour and a line width: sign gives the hue, |w| relative to the largest
// weight of the network gives the contrast with ``background`` and the width (at least a
// hairline so every edge is visible).
export function weightStyle(w, maxAbs, background = "", minWidth = 0.5, maxWidth = 6) {
  const lut = strokeLut(background);
  if (!Number.isFinite(w) || !(maxAbs > 0)) return { color: divergingColor(0, lut), width: minWidth };
  const r = Math.min(Math.abs(w) / maxAbs, 1);
  // Keep faint weights off the middle of the scale so they stay visible on the background.
  const v = Math.sign(w) * (0.35 + 0.65 * r);
  return { color: divergingColor(v, lut), width: minWidth + (maxWidth - minWidth) * r };
}

// Fill RGBA pixels from a row-major Float32Array slice, mapping [lo, hi] onto the LUT
// (NaN → transparent so a diverged grid never paints garbage).
export function fillImage(pixels, values, offset, count, lut, lo, hi, alpha = 255) {
  const span = hi - lo || 1;
  const n = lut.length / 3;
  for (let p = 0; p < count; p++) {
    const v = values[offset + p];
    const o = p * 4;
    if (!Number.isFinite(v)) {
      pixels[o + 3] = 0;
      continue;
    }
    const i = lutIndex((v - lo) / span, n) * 3;
    pixels[o] = lut[i];
    pixels[o + 1] = lut[i + 1];
    pixels[o + 2] = lut[i + 2];
    pixels[o + 3] = alpha;
  }
}
