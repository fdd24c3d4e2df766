// Text that canvases and drawings write in pixels, at the widget's text size (styles.js: 16 px,
// growing to 22 px on a wide screen such as a projector). That size follows the viewport, so a
// drawing reads it again only when its own width changes (not on every training frame). The
// width is the one canvas.js's ResizeObserver keeps: reading clientWidth here would force a
// layout on every frame.

import { cssSize } from "./canvas.js";

const CACHE = new WeakMap();

// The widget's text size over 16 px (never below 1: a phone keeps the drawings' own sizes).
export function textScale(node) {
  if (!node) return 1;
  const width = cssSize(node).w ?? 0;
  const hit = CACHE.get(node);
  if (hit && hit.width === width) return hit.scale;
  const size = typeof getComputedStyle === "function" && node.isConnected ? parseFloat(getComputedStyle(node).fontSize) : NaN;
  const scale = size > 16 ? size / 16 : 1;
  CACHE.set(node, { width, scale });
  return scale;
}

// A canvas font of `px` pixels at that scale.
export function canvasFont(px, scale = 1) {
  return `${Math.round(px * scale)}px system-ui, sans-serif`;
}
