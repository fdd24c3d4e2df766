import { test } from "node:test";
import assert from "node:assert/strict";
import { graphRows } from "../src/views/autograd-graph.js";
import { graphLayout } from "../src/views/autograd-layout.js";

test("graphRows: forward order, each node with its step in the engine's backward order", () => {
  const result = {
    nodes: [{ id: 0, symbol: "w" }, { id: 1, symbol: "a" }, { id: 2, symbol: "z" }, { id: 3, symbol: "L" }],
    forward: [1, 0, 2, 3],
    backward: [3, 2, 0, 1],
  };
  const rows = graphRows(result);
  assert.deepEqual(rows.map((r) => r.symbol), ["a", "w", "z", "L"]);
  assert.deepEqual(rows.map((r) => r.step), [3, 2, 1, 0]);
});

test("graphRows: nothing to show before the engine answers", () => {
  assert.deepEqual(graphRows(null), []);
});

test("graphLayout: columns by depth, leaves just before their first reader, the loss last", () => {
  // L = (w·x + b)²-like: w, x → mul → add (+ b) → loss
  const result = {
    nodes: [0, 1, 2, 3, 4, 5].map((id) => ({ id })),
    edges: [{ from: 0, to: 2 }, { from: 1, to: 2 }, { from: 2, to: 4 }, { from: 3, to: 4 }, { from: 4, to: 5 }],
    forward: [0, 1, 2, 3, 4, 5],
    backward: [5, 4, 3, 2, 1, 0],
  };
  const { columns, at, rows } = graphLayout(result);
  assert.deepEqual(columns, [[0, 1], [2, 3], [4], [5]]);
  assert.equal(rows, 2);
  assert.equal(at.get(5).y, 0.5); // a column of one sits in the middle
  assert.equal(at.size, 6);
});

test("graphLayout: an empty reply draws nothing", () => {
  assert.deepEqual(graphLayout(null).columns, []);
});
