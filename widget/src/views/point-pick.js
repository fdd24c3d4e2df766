// Removing a data point from the map: the point under a click (or under the keyboard cross)
// and the engine's remove_point. Pure picking, so it is testable without a canvas.

import { toPixel } from "./grid.js";

// The training or validation point nearest to (fx, fy) (fractions of the map from its top-left)
// within tol (a fraction of the side): {split, index}, or null.
export function nearestPoint(data, fx, fy, tol) {
  if (!data?.extent) return null;
  let best = null;
  let bestD = tol * tol;
  for (const split of ["train", "val"]) {
    (data[split]?.x || []).forEach(([x, y], index) => {
      const [px, py] = toPixel(data.extent, 1, 1, x, y);
      const d = (px - fx) ** 2 + (py - fy) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = { split, index };
      }
    });
  }
  return best;
}

// Ask the engine to drop the point; its refusal (e.g. too few points left) becomes a notice.
export async function removePoint(ctx, hit) {
  try {
    await ctx.call("remove_point", { index: hit.index, split: hit.split });
    await ctx.refresh();
  } catch (e) {
    ctx.notify(e.code, e.message);
  }
}
