import { test } from "node:test";
import assert from "node:assert/strict";
import { fixesState, fixPartial, fixesShown, CLIP_NORM } from "../src/views/flow-fixes.js";
import { CONTRACT } from "../src/contract.js";

test("fixesState: which fix is on, from the engine's config", () => {
  assert.deepEqual(fixesState({ activation: "sigmoid", init: "xavier_uniform", clip_norm: null }), { relu: false, xavier: true, he: false, clip: false });
  assert.deepEqual(fixesState({ activation: "relu", init: "he_normal", clip_norm: 2 }), { relu: true, xavier: false, he: true, clip: true });
});

test("fixPartial: ReLU on and back to the activation it replaced; clipping on and off", () => {
  const sick = { activation: "sigmoid", init: "xavier_uniform", clip_norm: null };
  assert.deepEqual(fixPartial("relu", sick, null), { activation: "relu", activations: [] });
  assert.deepEqual(fixPartial("relu", { ...sick, activation: "relu" }, "sigmoid"), { activation: "sigmoid", activations: [] });
  assert.deepEqual(fixPartial("relu", { ...sick, activation: "relu" }, null), { activation: CONTRACT.config.fields.activation.default, activations: [] });
  // Per-layer activations: ReLU is on only when every hidden layer has it.
  assert.equal(fixesState({ activation: "relu", activations: ["relu", "sigmoid"] }).relu, false);
  assert.equal(fixesState({ activation: "tanh", activations: ["relu", "relu"] }).relu, true);
  assert.deepEqual(fixPartial("clip", sick, null), { clip_norm: CLIP_NORM });
  assert.deepEqual(fixPartial("clip", { ...sick, clip_norm: CLIP_NORM }, null), { clip_norm: null });
});

test("fixPartial: Xavier and He choose one initialization; the chosen one asks nothing", () => {
  const sick = { activation: "sigmoid", init: "xavier_uniform" };
  assert.deepEqual(fixPartial("he", sick, null), { init: "he_uniform", init_gain: 1 });
  assert.equal(fixPartial("xavier", sick, null), null);
  assert.equal(fixPartial("xavier", { ...sick, init_gain: 1 }, null), null);
});

test("Xavier and He at a scale other than 1 are off, and choosing one sets the scale back to 1", () => {
  const large = { activation: "relu", init: "xavier_uniform", init_gain: 3 };
  assert.deepEqual(fixesState(large), { relu: true, xavier: false, he: false, clip: false });
  assert.deepEqual(fixPartial("xavier", large, null), { init: "xavier_uniform", init_gain: 1 });
  assert.deepEqual(fixPartial("he", { ...large, init: "he_uniform" }, null), { init: "he_uniform", init_gain: 1 });
  for (const init of ["xavier_uniform", "he_uniform"]) assert.ok(CONTRACT.config.fields.init.choices.includes(init));
});

test("fixesShown: the toggles appear with a vanishing or exploding gradient and then stay", () => {
  assert.equal(fixesShown(false, "ok"), false);
  assert.equal(fixesShown(false, undefined), false);
  assert.equal(fixesShown(false, "vanishing"), true);
  assert.equal(fixesShown(false, "exploding"), true);
  assert.equal(fixesShown(true, "ok"), true); // a fix cured it: the reader can still switch it off
});
