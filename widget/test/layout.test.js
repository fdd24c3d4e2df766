import { test } from "node:test";
import assert from "node:assert/strict";
import { layoutNetwork, hitTest, distanceToSegment } from "../src/views/network.js";
import { chartScales } from "../src/views/loss-chart.js";
import { gridNeuronIndex, neuronRange, toPixel, toData } from "../src/views/grid.js";

test("one node per neuron and one edge per weight", () => {
  const sizes = [2, 4, 2, 1];
  const l = layoutNetwork(sizes, 400, 300);
  assert.equal(l.nodes.length, 9);
  assert.equal(l.edges.length, 2 * 4 + 4 * 2 + 2 * 1);
});

test("every node square lies inside the canvas, columns evenly spaced, columns centred", () => {
  for (const [sizes, w, h] of [[[2, 4, 2, 1], 400, 300], [[2, 16, 16, 16, 1], 320, 200], [[2, 1], 360, 180], [[2, 8, 8, 8, 8, 8, 8, 8, 8, 3], 1200, 500]]) {
    const l = layoutNetwork(sizes, w, h);
    for (const n of l.nodes) {
      assert.ok(n.x - n.size / 2 >= 0 && n.x + n.size / 2 <= w, `x inside for ${sizes}`);
      assert.ok(n.y - n.size / 2 >= 0 && n.y + n.size / 2 <= h, `y inside for ${sizes}`);
    }
    const xs = l.byLayer.map((col) => col[0].x);
    const gaps = xs.slice(1).map((x, k) => x - xs[k]);
    for (const g of gaps) assert.ok(Math.abs(g - gaps[0]) < 1e-9);
    for (const col of l.byLayer) {
      const mid = (col[0].y + col[col.length - 1].y) / 2;
      assert.ok(Math.abs(mid - h / 2) < 1e-9);
    }
  }
});

test("edges join the right side of the source to the left side of the target", () => {
  const l = layoutNetwork([2, 3], 300, 200);
  const e = l.edges.find((d) => d.i === 1 && d.j === 2);
  const from = l.byLayer[0][1];
  const to = l.byLayer[1][2];
  assert.equal(e.x1, from.x + l.size / 2);
  assert.equal(e.y1, from.y);
  assert.equal(e.x2, to.x - l.size / 2);
  assert.equal(e.y2, to.y);
});

test("distance from a point to a segment (hand-computed)", () => {
  assert.equal(distanceToSegment(0, 1, -1, 0, 1, 0), 1);
  assert.equal(distanceToSegment(3, 4, 0, 0, 0, 0), 5);
  assert.equal(distanceToSegment(5, 0, 0, 0, 3, 0), 2); // beyond the end: distance to the end point
});

test("hit testing finds the edge under the pointer and the node square", () => {
  const l = layoutNetwork([2, 3, 1], 300, 200);
  const e = l.edges[4];
  const hit = hitTest(l, (e.x1 + e.x2) / 2, (e.y1 + e.y2) / 2);
  assert.equal(hit.kind, "edge");
  assert.deepEqual([hit.layer, hit.i, hit.j], [e.layer, e.i, e.j]);
  const n = l.byLayer[1][2];
  const nodeHit = hitTest(l, n.x + 1, n.y - 1);
  assert.deepEqual([nodeHit.kind, nodeHit.layer, nodeHit.j], ["node", 1, 2]);
  assert.equal(hitTest(l, 1, 1), null);
});

test("chart scales: first epoch at the left edge, highest loss at the top, zero at the bottom", () => {
  const pad = { left: 40, right: 10, top: 5, bottom: 20 };
  const s = chartScales({ epoch: [0, 5, 10], loss: [2, 1, 0.5], val_loss: [2.5, null, 1] }, 250, 125, pad);
  assert.equal(s.x(0), 40);
  assert.equal(s.x(10), 240);
  assert.equal(s.y(2.5), 5);
  assert.equal(s.y(0), 105);
  const single = chartScales({ epoch: [0], loss: [0.7], val_loss: [null] }, 100, 100, pad);
  assert.ok(Number.isFinite(single.x(0)) && Number.isFinite(single.y(0.7)));
});

test("grid helpers: neuron lookup, colour range, pixel↔data round trip", () => {
  const grid = { neurons: [[1, 0], [1, 1], [2, 0]] };
  assert.equal(gridNeuronIndex(grid, 2, 0), 2);
  assert.equal(gridNeuronIndex(grid, 0, 0), -1);
  assert.deepEqual(neuronRange(new Float32Array([0.1, 0.9]), 0, 2), { lo: 0, hi: 1 });
  assert.deepEqual(neuronRange(new Float32Array([-0.5, 2]), 0, 2), { lo: -2, hi: 2 });
  assert.deepEqual(neuronRange(new Float32Array([NaN, NaN]), 0, 2), { lo: -1, hi: 1 });
  const ext = [-6, 6, -6, 6];
  assert.deepEqual(toPixel(ext, 120, 120, -6, 6), [0, 0]);
  assert.deepEqual(toPixel(ext, 120, 120, 0, 0), [60, 60]);
  const [x, y] = toData(ext, 120, 120, 30, 90);
  assert.deepEqual([x, y], [-3, -3]);
  assert.deepEqual(toPixel(ext, 120, 120, x, y), [30, 90]);
});

test("log chart: decades are evenly spaced and non-positive values are left out", () => {
  const pad = { left: 0, right: 0, top: 0, bottom: 0 };
  const s = chartScales({ epoch: [0, 1, 2], loss: [100, 1, 0.01], val_loss: [0, null, null] }, 100, 100, pad, true);
  assert.equal(s.y(100), 0);
  assert.equal(s.y(0.01), 100);
  assert.equal(s.y(1), 50);
  assert.ok(Math.abs(s.at(0.5) - 1) < 1e-12);
  assert.equal(s.at(1), 100);
  const lin = chartScales({ epoch: [0, 1], loss: [4, 2], val_loss: [] }, 100, 100, pad);
  assert.equal(lin.at(0.5), 2);
});

test("the map is the largest centred square of its canvas", async () => {
  const { squareRegion } = await import("../src/views/grid.js");
  assert.deepEqual(squareRegion(500, 300), { x: 100, y: 0, side: 300 });
  assert.deepEqual(squareRegion(320, 400), { x: 0, y: 40, side: 320 });
  assert.deepEqual(squareRegion(50, 50), { x: 0, y: 0, side: 50 });
});

test("the chart tip reads the epoch nearest to the pointer", async () => {
  const { nearestEpochIndex } = await import("../src/views/loss-chart.js");
  const pad = { left: 0, right: 0, top: 0, bottom: 0 };
  const series = { epoch: [0, 10, 20, 30], loss: [4, 3, 2, 1], val_loss: [null, null, null, null] };
  const s = chartScales(series, 300, 100, pad); // 10 px per epoch
  assert.equal(nearestEpochIndex(series, s, 0), 0);
  assert.equal(nearestEpochIndex(series, s, 140), 1);
  assert.equal(nearestEpochIndex(series, s, 160), 2);
  assert.equal(nearestEpochIndex(series, s, 999), 3);
  assert.equal(nearestEpochIndex({ epoch: [], loss: [], val_loss: [] }, s, 5), -1);
});
