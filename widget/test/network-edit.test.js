import { test } from "node:test";
import assert from "node:assert/strict";
import { layoutNetwork } from "../src/views/network.js";
import { paramOf, paramKey, isEditable, sameItem, numberAnchor, drawEditedMarks, EDGE_LABEL_AT } from "../src/views/network-edit.js";

test("a diagram hit names the engine's parameter: weights by their target layer, biases by their neuron", () => {
  assert.deepEqual(paramOf({ kind: "edge", layer: 0, j: 1, i: 0 }), { layer: 1, j: 1, i: 0 });
  assert.deepEqual(paramOf({ kind: "node", layer: 2, j: 0 }), { layer: 2, j: 0, i: null });
  assert.notEqual(paramKey(paramOf({ kind: "edge", layer: 1, j: 0, i: 0 })), paramKey(paramOf({ kind: "node", layer: 2, j: 0 })));
  assert.equal(paramKey({ layer: 1, j: 0, i: 1 }), paramKey(paramOf({ kind: "edge", layer: 0, j: 0, i: 1 })));
});

test("inputs have no bias to edit; weights and other neurons do", () => {
  assert.equal(isEditable({ kind: "node", layer: 0, j: 0 }), false);
  assert.equal(isEditable({ kind: "node", layer: 1, j: 0 }), true);
  assert.equal(isEditable({ kind: "edge", layer: 0, j: 0, i: 0 }), true);
  assert.equal(isEditable(null), false);
  assert.equal(sameItem({ kind: "edge", layer: 0, j: 1, i: 0, x1: 3 }, { kind: "edge", layer: 0, j: 1, i: 0 }), true);
  assert.equal(sameItem({ kind: "edge", layer: 0, j: 1, i: 0 }, { kind: "edge", layer: 0, j: 1, i: 1 }), false);
});

test("the field sits on a weight's label point or under a neuron", () => {
  const layout = layoutNetwork([2, 2, 2], 800, 400);
  const e = layout.edges.find((x) => x.layer === 1 && x.j === 1 && x.i === 0);
  const at = numberAnchor({ kind: "edge", layer: 1, j: 1, i: 0 }, layout);
  assert.ok(Math.abs(at.x - (e.x1 + EDGE_LABEL_AT * (e.x2 - e.x1))) < 1e-9 && at.valign === "middle");
  const n = layout.byLayer[2][0];
  assert.deepEqual(numberAnchor({ kind: "node", layer: 2, j: 0 }, layout), { x: n.x, y: n.y + n.size / 2 + 4, valign: "top" });
  assert.equal(numberAnchor({ kind: "edge", layer: 5, j: 0, i: 0 }, layout), null);
});

test("only the edited parameters are marked", () => {
  const layout = layoutNetwork([2, 2, 1], 400, 300);
  const calls = [];
  const g = new Proxy({}, { get: (t, k) => (k in t ? t[k] : (...a) => calls.push([k, ...a])), set: (t, k, v) => ((t[k] = v), true) });
  drawEditedMarks(g, layout, new Set(), { accent: "#123456" });
  assert.equal(calls.length, 0);
  drawEditedMarks(g, layout, new Set([paramKey({ layer: 1, j: 0, i: 1 }), paramKey({ layer: 2, j: 0, i: null })]), { accent: "#123456" });
  assert.equal(calls.filter(([k]) => k === "stroke").length, 2); // the weight's two dashed lines
  assert.equal(calls.filter(([k]) => k === "strokeRect").length, 1); // the output neuron's frame
  assert.equal(g.strokeStyle, "#123456");
});
