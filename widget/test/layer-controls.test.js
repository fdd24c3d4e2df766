// The form's per-layer activation and the weight seed: pure helpers.
import test from "node:test";
import assert from "node:assert/strict";
import { layerActivations, layersPartial, activationPartial, fieldApplies, NESTED_FIELDS, FIELDS } from "../src/controls/fields.js";
import { newSeed } from "../src/controls/weights.js";

test("each hidden layer's activation: its own, or the global one", () => {
  assert.deepEqual(layerActivations({ hidden: [4, 2], activation: "tanh", activations: [] }), ["tanh", "tanh"]);
  assert.deepEqual(layerActivations({ hidden: [4, 2], activation: "tanh", activations: ["relu", "sigmoid"] }), ["relu", "sigmoid"]);
  assert.deepEqual(layerActivations({ hidden: [], activation: "tanh", activations: [] }), []);
});

test("new hidden sizes carry one activation per layer only when layers have their own", () => {
  const uniform = { hidden: [4, 2], activation: "tanh", activations: [] };
  assert.deepEqual(layersPartial(uniform, [4, 2, 2]), { hidden: [4, 2, 2] });
  const own = { hidden: [4, 2], activation: "tanh", activations: ["relu", "sigmoid"] };
  assert.deepEqual(layersPartial(own, [4, 2, 2]), { hidden: [4, 2, 2], activations: ["relu", "sigmoid", "sigmoid"] });
  assert.deepEqual(layersPartial(own, [4]), { hidden: [4], activations: ["relu"] });
  assert.deepEqual(activationPartial(uniform, 1, "relu"), { activations: ["tanh", "relu"] });
  assert.deepEqual(activationPartial(own, 0, "linear"), { activations: ["linear", "sigmoid"] });
});

test("the leaky slope shows when any layer is leaky; activations are drawn in the layers' rows", () => {
  assert.equal(fieldApplies("negative_slope", { activation: "tanh", activations: ["tanh", "leaky_relu"] }), true);
  assert.equal(fieldApplies("negative_slope", { activation: "tanh", activations: ["tanh"], output_activation: "auto" }), false);
  assert.equal(FIELDS[NESTED_FIELDS.activations].type, "int_list");
  assert.equal(FIELDS.activations.type, "choice_list");
});

test("a new weight seed is another one, within the widget's limit", () => {
  const max = FIELDS.init_seed.widget.max;
  assert.equal(newSeed(5, () => 0.5), Math.floor(0.5 * max));
  assert.notEqual(newSeed(0, () => 0), 0);
  const top = newSeed(max - 1, () => (max - 1) / max);
  assert.ok(top >= 0 && top <= max && top !== max - 1);
});
