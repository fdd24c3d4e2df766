// Painting a loss grid as a filled contour map: the coarse engine grid is interpolated
// bilinearly onto a finer raster and each value is snapped to one of LEVELS bands of viridis,
// so equal-loss regions read as contour bands. Pure except for the ImageData it fills.

import { SEQUENTIAL_LUT } from "../colors.js";

export const LEVELS = 10;

// The band (0..LEVELS-1) of value v between lo and hi; -1 for a missing (non-finite) value.
export function band(v, lo, hi, levels = LEVELS) {
  if (typeof v !== "number" || !Number.isFinite(v)) return -1;
  const t = hi > lo ? (v - lo) / (hi - lo) : 0;
  return Math.min(levels - 1, Math.max(0, Math.floor(t * levels)));
}

// Bilinear value of grid[r][c] (rows from the bottom) at fractional position (x, y) in [0,1]².
export function sample(grid, x, y) {
  const rows = grid.length;
  const cols = grid[0].length;
  const fx = x * (cols - 1);
  const fy = y * (rows - 1);
  const c = Math.min(cols - 2, Math.floor(fx));
  const r = Math.min(rows - 2, Math.floor(fy));
  const dx = fx - c;
  const dy = fy - r;
  const v00 = grid[r][c];
  const v01 = grid[r][c + 1];
  const v10 = grid[r + 1][c];
  const v11 = grid[r + 1][c + 1];
  if ([v00, v01, v10, v11].some((v) => typeof v !== "number")) return null;
  return (v00 * (1 - dx) + v01 * dx) * (1 - dy) + (v10 * (1 - dx) + v11 * dx) * dy;
}

// Fill RGBA pixels (size×size, row 0 at the top = largest beta) with the banded map.
export function fillContour(pixels, size, grid, lo, hi) {
  const n = SEQUENTIAL_LUT.length / 3;
  for (let py = 0; py < size; py++) {
    const y = 1 - py / (size - 1);
    for (let px = 0; px < size; px++) {
      const o = (py * size + px) * 4;
      const b = band(sample(grid, px / (size - 1), y), lo, hi);
      if (b < 0) {
        pixels[o + 3] = 0;
        continue;
      }
      const i = Math.round(((b + 0.5) / LEVELS) * (n - 1)) * 3;
      pixels[o] = SEQUENTIAL_LUT[i];
      pixels[o + 1] = SEQUENTIAL_LUT[i + 1];
      pixels[o + 2] = SEQUENTIAL_LUT[i + 2];
      pixels[o + 3] = 255;
    }
  }
}
