import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Replay, phaseOf, worksheet, nodeKey, edgeKey } from "../src/steps/replay.js";
import { narrate } from "../src/steps/narration.js";
import { t } from "../src/i18n.js";
import { nodeLines, edgeLines, lineText, isCrowded } from "../src/views/network-numbers.js";

// `python -m backprop trace` of the classic 2-2-2 example (Mazur): weights 0.15 … 0.55,
// biases 0.35 and 0.60 frozen, inputs 0.05/0.10, targets 0.01/0.99, sse_half, η = 0.5.
const TRACE = JSON.parse(readFileSync(new URL("./fixtures/classic-trace.json", import.meta.url)));
const tr = (key, params) => t("es", key, params);

test("the replay starts before the first computation and the network changes only at the update", () => {
  const r = new Replay(TRACE.events);
  assert.equal(r.index, -1);
  assert.equal(r.current, null);
  r.next();
  assert.equal(r.current.kind, "z");
  assert.equal(r.updated, false);
  while (phaseOf(r.current) !== "update") {
    assert.equal(r.updated, false, `updated too early at ${r.current.kind}`);
    r.next();
  }
  assert.equal(r.updated, true);
  r.prev();
  assert.equal(r.updated, false);
  r.end();
  assert.ok(r.atEnd);
  assert.equal(r.current.kind, "loss_after");
});

test("phases: forward, loss, backward, update, and back to the start of each", () => {
  const r = new Replay(TRACE.events);
  const seen = [];
  r.next();
  seen.push(phaseOf(r.current));
  for (let k = 0; k < 3; k++) {
    r.nextPhase();
    seen.push(phaseOf(r.current));
    assert.notEqual(phaseOf(r.events[r.index - 1]), seen.at(-1), "a phase starts where the previous ends");
  }
  assert.deepEqual(seen, ["forward", "loss", "backward", "update"]);
  r.nextPhase(); // from the last phase: the end of the step
  assert.ok(r.atEnd);
  r.go(12); // inside the backward pass
  r.prevPhase();
  assert.equal(phaseOf(r.current), "backward");
  assert.notEqual(phaseOf(r.events[r.index - 1]), "backward");
  r.prevPhase();
  assert.equal(phaseOf(r.current), "loss");
});

test("layers: the forward pass moves a layer at a time", () => {
  const r = new Replay(TRACE.events);
  r.next();
  assert.equal(r.current.layer, 1);
  r.nextLayer();
  assert.equal(r.current.layer, 2);
  assert.equal(r.current.kind, "z");
  r.prevLayer();
  assert.equal(r.index, 0);
});

test("at the end of the step the worksheet holds every number of the worked example", () => {
  const sheet = worksheet(TRACE.events, TRACE.events.length - 1);
  const [h, o] = TRACE.layers;
  for (let j = 0; j < 2; j++) {
    assert.deepEqual(sheet.nodes.get(nodeKey(1, j)).z, [h.z[0][j]]);
    assert.deepEqual(sheet.nodes.get(nodeKey(2, j)).a, [o.a[0][j]]);
    assert.deepEqual(sheet.nodes.get(nodeKey(2, j)).delta, [TRACE.deltas[1][0][j]]);
    for (let i = 0; i < 2; i++) {
      const e = sheet.edges.get(edgeKey(2, j, i));
      assert.equal(e.grad, TRACE.grad_weights[1][j][i]);
      assert.equal(e.new, TRACE.weights[1][j][i]);
    }
  }
  assert.equal(sheet.loss, TRACE.loss);
  assert.equal(sheet.lossAfter, TRACE.loss_after);
  assert.equal(Math.round(sheet.lossAfter * 1e9) / 1e9, 0.291027774);
  // Before the backward pass nothing of it is there yet.
  const early = worksheet(TRACE.events, 7);
  assert.equal(early.nodes.get(nodeKey(2, 0)).delta, undefined);
  assert.equal(early.loss, null);
});

test("the diagram's lines for a neuron and a weight", () => {
  const sheet = worksheet(TRACE.events, TRACE.events.length - 1);
  const out = nodeLines(sheet, 2, 0, 0, true).map((l) => lineText(l, "es"));
  assert.deepEqual(out, ["z = 1,106", "a = 0,7514", "y = 0,01", "δ = 0,1385"]);
  assert.deepEqual(edgeLines(sheet, 2, 0, 0).map((l) => lineText(l, "es")), ["∂L/∂w = 0,08217", "w: 0,4 → 0,3589"]);
  assert.deepEqual(edgeLines(sheet, 1, 0, 0).map((l) => lineText(l, "en")), ["∂L/∂w = 4.39 × 10⁻⁴", "w: 0.15 → 0.1498"]);
  assert.equal(isCrowded([2, 2, 2]), false);
  assert.equal(isCrowded([2, 4, 4, 4, 1]), false);
  assert.equal(isCrowded([2, 5, 1]), true);
  assert.equal(isCrowded([2, 2, 2, 2, 2, 1]), true);
});

test("narration: the neuron and the formula with its numbers", () => {
  const first = narrate(TRACE.events[0], { tr, lang: "es", L: 3 });
  assert.equal(first, "Capa oculta 1, neurona 1: z = 0,15·0,05 + 0,2·0,1 + 0,35 = 0,3775");
  const w = TRACE.events.find((ev) => ev.kind === "grad_w");
  assert.match(narrate(w, { tr, lang: "es", L: 3 }), /^Peso de la neurona 1 \(capa oculta 1\) a la neurona 1 \(salida\): ∂L\/∂w = /);
  const en = narrate(TRACE.events[0], { tr: (k, p) => t("en", k, p), lang: "en", L: 3 });
  assert.equal(en, "Hidden layer 1, neuron 1: z = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775");
});
