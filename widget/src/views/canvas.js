// Each canvas's CSS size, kept up to date by one ResizeObserver: reading clientWidth on every
// frame would force a layout after the snapshot's text updates. The observer is made when this
// module loads, before the element's own, so its sizes are fresh when the element redraws on
// a resize (observers are notified in the order they were made).
const SIZES = new WeakMap();
const observer = typeof ResizeObserver === "function"
  ? new ResizeObserver((entries) => {
    for (const e of entries) SIZES.set(e.target, { w: e.contentRect.width, h: e.contentRect.height });
  })
  : null;

export function cssSize(canvas) {
  let size = SIZES.get(canvas);
  if (!size) {
    size = { w: canvas.clientWidth, h: canvas.clientHeight }; // measured once, then observed
    if (observer) {
      SIZES.set(canvas, size);
      observer.observe(canvas);
    }
  }
  return size;
}

// Size a canvas's backing store to its CSS box and the device pixel ratio, so lines stay sharp
// on phones and projectors. Returns the 2D context scaled to CSS pixels, plus the CSS size.
export function fitCanvas(canvas) {
  const dpr = Math.min((globalThis.devicePixelRatio || 1), 3);
  const css = cssSize(canvas);
  const w = Math.max(1, Math.round(css.w || canvas.width));
  const h = Math.max(1, Math.round(css.h || canvas.height));
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, width: w, height: h };
}


// An offscreen res×res canvas with its ImageData for painting a grid pixel by pixel, or an
// atlas of `rows` such tiles stacked (tile k's pixels are one run from k·res² on, so a block of
// the grid fills it in one pass); the old one is kept while its size stays.
export function imageTile(tile, res, rows = 1) {
  if (tile && tile.canvas.width === res && tile.canvas.height === res * rows) return tile;
  const canvas = document.createElement("canvas");
  canvas.width = res;
  canvas.height = res * rows;
  const ctx = canvas.getContext("2d");
  return { canvas, ctx, image: ctx.createImageData(res, res * rows) };
}

// What every view starts with: its context (built by the element), its figure's canvas, and the
// canvas's accessible name.
export class CanvasView {
  constructor(figure, ctx, ariaKey) {
    this.ctx = ctx;
    this.canvas = figure.querySelector("canvas");
    this.canvas.setAttribute("aria-label", ctx.tr(ariaKey));
  }
}
