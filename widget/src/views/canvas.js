// Size a canvas's backing store to its CSS box and the device pixel ratio, so lines stay sharp
// on phones and projectors. Returns the 2D context scaled to CSS pixels, plus the CSS size.
export function fitCanvas(canvas) {
  const dpr = Math.min((globalThis.devicePixelRatio || 1), 3);
  const w = Math.max(1, Math.round(canvas.clientWidth || canvas.width));
  const h = Math.max(1, Math.round(canvas.clientHeight || canvas.height));
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, width: w, height: h };
}


// An offscreen res×res canvas with its ImageData for painting a grid pixel by pixel; the old
// tile is kept while the resolution stays the same.
export function imageTile(tile, res) {
  if (tile && tile.canvas.width === res) return tile;
  const canvas = document.createElement("canvas");
  canvas.width = res;
  canvas.height = res;
  const ctx = canvas.getContext("2d");
  return { canvas, ctx, image: ctx.createImageData(res, res) };
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
