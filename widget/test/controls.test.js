import { test } from "node:test";
import assert from "node:assert/strict";
import { parseControls, CONTROL_GROUPS, numericValue, addLayer, removeLayer, MAX_HIDDEN_LAYERS } from "../src/controls.js";
import { targetValue, valueRange } from "../src/views/data-view.js";

test("data-controls: missing or 'all' shows everything, empty shows nothing, unknown names ignored", () => {
  assert.deepEqual([...parseControls(null)], CONTROL_GROUPS);
  assert.deepEqual([...parseControls("all")], CONTROL_GROUPS);
  assert.deepEqual([...parseControls("")], []);
  assert.deepEqual([...parseControls(" Train, step ,bogus")], ["train", "step"]);
});

test("typed values: numbers (comma or dot) are sent as numbers, anything else as text for the engine to refuse", () => {
  assert.equal(numericValue("0,5"), 0.5);
  assert.equal(numericValue("10", true), 10);
  assert.equal(numericValue("abc"), "abc");
  assert.equal(numericValue(""), "");
});

test("hidden layers: add copies the last size, stops at the maximum; remove drops the last", () => {
  assert.deepEqual(addLayer([]), [4]);
  assert.deepEqual(addLayer([3, 5]), [3, 5, 5]);
  const full = Array(MAX_HIDDEN_LAYERS).fill(2);
  assert.deepEqual(addLayer(full), full);
  assert.deepEqual(removeLayer([3, 5]), [3]);
  assert.deepEqual(removeLayer([]), []);
  const h = [1, 2];
  addLayer(h);
  assert.deepEqual(h, [1, 2], "inputs are not mutated");
});

test("targets: binary label, one-hot position, regression value; value range over both splits", () => {
  assert.equal(targetValue([1], "binary"), 1);
  assert.equal(targetValue([0, 0, 1], "multiclass"), 2);
  assert.equal(targetValue([-0.25], "regression"), -0.25);
  assert.deepEqual(valueRange({ train: { y: [[0.5], [-1]] }, val: { y: [[2]] } }), { lo: -1, hi: 2 });
  assert.deepEqual(valueRange({ train: { y: [[3]] }, val: { y: [] } }), { lo: 2, hi: 4 });
});

test("config numbers are shown as the reader types them and parse back to the same value", async () => {
  const { inputText } = await import("../src/controls.js");
  const { parseDecimal } = await import("../src/format.js");
  assert.equal(inputText(0.1, "es"), "0,1");
  assert.equal(inputText(0.1, "en"), "0.1");
  assert.equal(inputText(10, "es"), "10");
  assert.equal(inputText(12345.5, "es"), "12345,5");
  assert.equal(inputText("sgd", "es"), "sgd");
  for (const v of [0.03, 1e-5, 2.5, 1234]) assert.equal(parseDecimal(inputText(v, "es")), v);
});

test("a hidden layer takes 1 to 16 neurons; text is left to the engine", async () => {
  const { checkLayerSize, MAX_NEURONS } = await import("../src/controls.js");
  assert.equal(MAX_NEURONS, 16);
  for (const ok of [1, 8, 16]) assert.equal(checkLayerSize(ok), null, String(ok));
  for (const bad of [0, -2, 17, 2.5]) assert.equal(checkLayerSize(bad), "controls.neurons_range", String(bad));
  assert.equal(checkLayerSize("abc"), null);
});
