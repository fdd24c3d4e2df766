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

// Every box drawNumbers writes for a finished step, on a stand-in canvas (8 px per character).
async function finishedBoxes(sizes, width, height, sheetOf) {
  const { readFileSync } = await import("node:fs");
  const { Replay } = await import("../src/steps/replay.js");
  const { drawNumbers } = await import("../src/views/network-numbers.js");
  const trace = JSON.parse(readFileSync(new URL("./fixtures/classic-trace.json", import.meta.url)));
  const r = new Replay(trace.events);
  r.end();
  const view = { sheet: sheetOf(r.worksheet()), current: r.current, sample: 0, lang: "es" };
  const g = new Proxy({ measureText: (s) => ({ width: 8 * s.length }) }, { get: (t, k) => (k in t ? t[k] : () => {}), set: (t, k, v) => ((t[k] = v), true) });
  const layout = layoutNetwork(sizes, width, height, { left: 80, maxSize: 40, spread: true, pad: 30 });
  const names = { node: () => "n", edge: () => "e" };
  return { layout, boxes: drawNumbers(g, layout, view, { fontPx: 16, colors: {}, sizes, names, width, height }) };
}

test("the step's boxes of numbers cover no neuron and no other box where there is room", async () => {
  const [width, height] = [1200, 560];
  const { layout, boxes } = await finishedBoxes([2, 2, 2], width, height, (sheet) => sheet);
  assert.equal(boxes.filter((b) => b.kind === "edge").length, 8);
  assert.equal(boxes.filter((b) => b.kind === "node").length, 4);
  assertApart(layout, boxes, width, height);
});

test("weights converging on one neuron get their boxes at different points of their lines", async () => {
  // Four weights into a single output, each with a gradient and an update.
  const [width, height] = [900, 560];
  const { edgeKey } = await import("../src/steps/replay.js");
  const { layout, boxes } = await finishedBoxes([2, 4, 1], width, height, () => ({
    nodes: new Map(), biases: new Map(), loss: null, lossAfter: null, targets: null,
    edges: new Map([0, 1, 2, 3].map((i) => [edgeKey(2, 0, i), { grad: -0.02274, old: 0.55, new: 0.5614 }])),
  }));
  assert.equal(boxes.length, 4);
  assertApart(layout, boxes, width, height);
});

function assertApart(layout, boxes, width, height) {
  const area = (a, b) => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const squares = layout.nodes.map((n) => ({ x: n.x - n.size / 2, y: n.y - n.size / 2, w: n.size, h: n.size }));
  boxes.forEach((b, k) => {
    assert.ok(b.rect.x >= 0 && b.rect.x + b.rect.w <= width && b.rect.y >= 0 && b.rect.y + b.rect.h <= height, `${b.kind} inside`);
    for (const s of squares) assert.equal(area(b.rect, s), 0, `${b.text} covers a neuron`);
    for (const o of boxes.slice(k + 1)) assert.equal(area(b.rect, o.rect), 0, `${b.text} / ${o.text}`);
  });
}
