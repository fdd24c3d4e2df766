import { test } from "node:test";
import assert from "node:assert/strict";
import { graphRows } from "../src/views/autograd-graph.js";

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
