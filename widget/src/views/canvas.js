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

// Colours of the page theme, read from the element's CSS custom properties.
export function themeColor(el, name, fallback) {
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}
