// Reading the decision-boundary grid: values are float32, neuron-major, rows from the top,
// grid.neurons lists [layer, j] per block (layer counted like network.sizes: 0 = inputs).

export function gridNeuronIndex(grid, layer, j) {
  const list = grid?.neurons;
  if (!Array.isArray(list)) return -1;
  for (let k = 0; k < list.length; k++) {
    if (list[k][0] === layer && list[k][1] === j) return k;
  }
  return -1;
}

// Colour range for one neuron's block: [0, 1] when every value lies there (sigmoid/softmax
// outputs: 0.5 is the neutral middle), otherwise symmetric around 0 so the sign shows.
export function neuronRange(values, offset, count) {
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = offset; p < offset + count; p++) {
    const v = values[p];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) return { lo: -1, hi: 1 };
  if (lo >= 0 && hi <= 1) return { lo: 0, hi: 1 };
  const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  return { lo: -m, hi: m };
}

// Map a data point to canvas pixels given extent [xmin, xmax, ymin, ymax] (y up).
export function toPixel(extent, width, height, x, y) {
  const [x0, x1, y0, y1] = extent;
  return [((x - x0) / (x1 - x0)) * width, (1 - (y - y0) / (y1 - y0)) * height];
}

export function toData(extent, width, height, px, py) {
  const [x0, x1, y0, y1] = extent;
  return [x0 + (px / width) * (x1 - x0), y1 - (py / height) * (y1 - y0)];
}

// The largest centred square of a width×height box: the map keeps the plane's proportions
// whatever the canvas shape.
export function squareRegion(width, height) {
  const side = Math.min(width, height);
  return { x: (width - side) / 2, y: (height - side) / 2, side };
}

// The grid's blocks, [{neurons, resolution, offset}]: an engine grid is one block at one
// resolution; a live grid (python/backprop/live.py) lists `blocks`, the output layer at the
// map's resolution and the hidden neurons coarser. Offsets are in values, block after block.
const BLOCKS = new WeakMap();

export function gridBlocks(grid) {
  if (!grid) return [];
  let blocks = BLOCKS.get(grid);
  if (blocks) return blocks;
  const listed = Array.isArray(grid.blocks) ? grid.blocks : [{ neurons: grid.neurons || [], resolution: grid.resolution }];
  let offset = 0;
  blocks = listed.map((b) => {
    const block = { neurons: b.neurons || [], resolution: b.resolution, offset };
    offset += block.neurons.length * b.resolution * b.resolution;
    return block;
  });
  BLOCKS.set(grid, blocks);
  return blocks;
}

// Where neuron j of `layer` lies in grid.values: {offset, resolution}, or null.
export function gridNeuron(grid, layer, j) {
  if (!grid?.values) return null;
  for (const b of gridBlocks(grid)) {
    for (let k = 0; k < b.neurons.length; k++) {
      if (b.neurons[k][0] === layer && b.neurons[k][1] === j) {
        return { offset: b.offset + k * b.resolution * b.resolution, resolution: b.resolution };
      }
    }
  }
  return null;
}
