import { test } from "node:test";
import assert from "node:assert/strict";
import { substitute, eventTarget, traceLabel } from "../src/stepper.js";
import { CONTRACT } from "../src/contract.js";

// Numbers of the classic worked example (Mazur): w1=0.15, w2=0.20, b1=0.35, inputs 0.05, 0.10.
// z = 0.15·0.05 + 0.20·0.10 + 0.35 = 0.3775 (by hand).

test("z shows every weight times its input plus the bias, then the value", () => {
  const ev = { kind: "z", layer: 1, neuron: 0, value: [0.3775], terms: { weights: [0.15, 0.2], bias: 0.35, inputs: [[0.05, 0.1]] } };
  assert.equal(substitute(ev, "es"), "z = 0,15·0,05 + 0,2·0,1 + 0,35 = 0,3775");
  assert.equal(substitute(ev, "en"), "z = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775");
});

test("negative factors are parenthesised", () => {
  const ev = { kind: "delta", layer: 2, neuron: 0, value: [-0.1385], terms: { grad_a: [-0.7414], da_dz: [0.1868] } };
  assert.equal(substitute(ev, "es"), "δ = (\u22120,7414) · 0,1868 = \u22120,1385");
});

test("activation, gradient and update lines", () => {
  assert.equal(substitute({ kind: "a", value: [0.5933], terms: { z: [0.3775] } }, "es"), "z = 0,3775 → a = 0,5933");
  assert.equal(
    substitute({ kind: "grad_w", value: 0.0822, terms: { delta: [0.1385], a_prev: [0.5933] } }, "es"),
    "∂L/∂w = 0,1385·0,5933 = 0,0822",
  );
  assert.equal(
    substitute({ kind: "grad_w", value: 1, terms: { delta: [1, 2, 3, 4], a_prev: [1, 1, 1, 1] } }, "en"),
    "∂L/∂w = 1·1 + 2·1 + 3·1 + … = 1",
  );
  // SGD: w ← w − η·g (0.40 − 0.5·0.0822 = 0.3589 by hand)
  assert.equal(
    substitute({ kind: "update", param: "W2", value: 0.3589, terms: { old: 0.4, grad: 0.0822, g: 0.0822, learning_rate: 0.5, step: 0.0411 } }, "es"),
    "w ← 0,4 − 0,5·0,0822 = 0,3589",
  );
  // With optimizer state (momentum) the line shows the step the optimizer took.
  assert.equal(
    substitute({ kind: "update", param: "b1", value: 0.3, terms: { old: 0.35, g: 0.1, learning_rate: 0.5, step: 0.05, velocity: 0.1 } }, "es"),
    "b ← 0,35 − 0,05 = 0,3",
  );
  assert.equal(substitute({ kind: "loss", value: 0.2984 }, "es"), "L = 0,2984");
});

test("non-finite numbers show a dash, never NaN", () => {
  const line = substitute({ kind: "z", value: [NaN], terms: { weights: [Infinity], bias: 0, inputs: [[1]] } }, "es");
  assert.ok(!/NaN|Infinity/.test(line), line);
});

test("events point at the neuron or the weight they belong to", () => {
  assert.deepEqual(eventTarget({ kind: "z", layer: 1, neuron: 3 }), { node: { layer: 1, j: 3 } });
  assert.deepEqual(eventTarget({ kind: "grad_w", layer: 2, neuron: 0, source: 1 }), { edge: { layer: 1, i: 1, j: 0 } });
  assert.deepEqual(eventTarget({ kind: "loss" }), {});
});

test("every event kind with a place says where it happens, in both languages", async () => {
  const { whereKey } = await import("../src/stepper.js");
  const { STRINGS } = await import("../src/i18n.js");
  const kinds = [{ kind: "z" }, { kind: "a" }, { kind: "loss" }, { kind: "grad_a" }, { kind: "da_dz" }, { kind: "delta" }, { kind: "grad_w" }, { kind: "grad_b" },
    { kind: "update", source: 0 }, { kind: "update" }];
  const keys = kinds.map(whereKey);
  assert.deepEqual(keys, ["step.forward_z", "step.forward_a", "step.loss", "step.grad_a", "step.da_dz", "step.delta", "step.grad_w", "step.grad_b", "step.update_w", "step.update_b"]);
  for (const k of keys) {
    assert.ok(STRINGS.es[k] && STRINGS.en[k], k);
  }
  assert.equal(whereKey({ kind: "clip" }), null);
});

test("∂L/∂a of a hidden neuron sums the next layer's weights times their deltas", () => {
  // Mazur's example, hidden neuron h1: w5·δo1 + w7·δo2 = 0.40·0.1385 + 0.50·(−0.0381) = 0.03635 (by hand)
  const ev = { kind: "grad_a", value: [0.03635], terms: { next_weights: [0.4, 0.5], next_deltas: [[0.1385, -0.0381]] } };
  assert.equal(substitute(ev, "es"), "∂L/∂a = 0,4·0,1385 + 0,5·(\u22120,0381) = 0,03635");
  const out = { kind: "grad_a", value: [0.7414], terms: { a: [0.7514], y: [0.01] } };
  assert.equal(substitute(out, "es"), "a = 0,7514, y = 0,01 → ∂L/∂a = 0,7414");
});

test("trace labels: the engine's own (already in the session's language), else the kind's", () => {
  assert.equal(traceLabel({ kind: "z", label: "Net input z of the neuron" }, "en"), "Net input z of the neuron");
  assert.equal(traceLabel({ kind: "z" }, "en"), CONTRACT.labels.trace.z.en);
  assert.equal(traceLabel({ kind: "z" }, "es"), CONTRACT.labels.trace.z.es);
  assert.equal(traceLabel({ kind: "brand_new" }, "en"), "brand_new");
});

test("a per-example value shows the chosen example", () => {
  const ev = { kind: "a", value: [0.5, 0.25], terms: { z: [0, -1.0986] } };
  assert.equal(substitute(ev, "es", 1), "z = \u22121,099 → a = 0,25");
});
