import { test } from "node:test";
import assert from "node:assert/strict";
import {
  parseControls, CONTROL_GROUPS, numericValue, addLayer, removeLayer, fieldLimits, checkWidgetLimit, choiceLabel, FORM_FIELDS,
} from "../src/controls.js";
import { CONTRACT } from "../src/contract.js";
import { targetValue, valueRange } from "../src/views/data-view.js";

test("data-controls: missing or 'all' shows everything, empty shows nothing, unknown names ignored", () => {
  assert.deepEqual([...parseControls(null)], CONTROL_GROUPS);
  assert.deepEqual([...parseControls("all")], CONTROL_GROUPS);
  assert.deepEqual([...parseControls("")], []);
  assert.deepEqual([...parseControls(" Train, step ,bogus")], ["train", "step"]);
});

test("typed values: numbers (comma or dot) are sent as numbers, anything else as text for the engine to refuse", () => {
  assert.equal(numericValue("0,5"), 0.5);
  assert.equal(numericValue("10"), 10);
  assert.equal(numericValue("abc"), "abc");
  assert.equal(numericValue(""), "");
});

test("hidden layers: add copies the last size (or the default's first), stops at the widget's maximum; remove drops the last", () => {
  assert.deepEqual(addLayer([]), [CONTRACT.config.fields.hidden.default[0]]);
  assert.deepEqual(addLayer([3, 5]), [3, 5, 5]);
  const maxLayers = CONTRACT.config.fields.hidden.widget.max_length;
  assert.ok(maxLayers < CONTRACT.config.fields.hidden.max_length, "the widget offers fewer layers than the engine takes");
  const full = Array(maxLayers).fill(2);
  assert.deepEqual(addLayer(full), full);
  assert.equal(addLayer(full.slice(1)).length, maxLayers);
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

test("a hidden layer takes the widget's 1 to 16 neurons; text is left to the engine", async () => {
  const { checkLayerSize } = await import("../src/controls.js");
  const { item_min: min, item_max: max } = fieldLimits("hidden");
  assert.deepEqual([min, max], [CONTRACT.config.fields.hidden.item_min, CONTRACT.config.fields.hidden.widget.item_max]);
  for (const ok of [min, max]) assert.equal(checkLayerSize(ok), null, String(ok));
  for (const bad of [min - 1, -2, max + 1, 2.5]) assert.equal(checkLayerSize(bad)?.key, "controls.neurons_range", String(bad));
  assert.deepEqual(checkLayerSize(max + 1).params, { min, max });
  assert.equal(checkLayerSize("abc"), null);
});

test("the widget refuses only beyond its own narrower limits; the engine's bounds are the engine's to refuse", () => {
  const lr = CONTRACT.config.fields.learning_rate;
  assert.ok(lr.widget?.max !== undefined);
  assert.deepEqual(checkWidgetLimit("learning_rate", lr.widget.max + 1), { key: "controls.above_max", params: { max: lr.widget.max } });
  assert.equal(checkWidgetLimit("learning_rate", lr.widget.max), null);
  assert.equal(checkWidgetLimit("learning_rate", -1), null, "below the engine's minimum: the engine's message");
  assert.equal(checkWidgetLimit("noise", 99), null, "no widget limit: the engine decides");
  assert.equal(checkWidgetLimit("learning_rate", "abc"), null);
});

test("the form's fields, groups, choices and labels are the contract's", () => {
  const fields = CONTRACT.config.fields;
  for (const name of FORM_FIELDS) assert.ok(fields[name], name);
  for (const name of FORM_FIELDS) assert.ok(CONTROL_GROUPS.includes(fields[name].group), name);
  assert.deepEqual(fieldLimits("dataset").choices, fields.dataset.widget?.choices ?? fields.dataset.choices);
  assert.deepEqual(fieldLimits("activation").choices, fields.activation.choices);
  for (const lang of ["es", "en"]) {
    for (const name of ["dataset", "activation", "optimizer"]) {
      for (const v of fieldLimits(name).choices) {
        const label = choiceLabel(name, v, lang);
        assert.equal(label, CONTRACT.labels.choices[name][v][lang], `${name}.${v} ${lang}`);
      }
    }
  }
  assert.equal(choiceLabel("dataset", "brand_new", "es"), "brand_new");
});

test("the control groups are the shortcode's; every config field's group is one of them", () => {
  assert.deepEqual(CONTROL_GROUPS, CONTRACT.shortcode.params.controls.choices.filter((g) => g !== "all"));
  for (const [name, f] of Object.entries(CONTRACT.config.fields)) assert.ok(CONTROL_GROUPS.includes(f.group), name);
  for (const button of ["train", "step", "reset"]) assert.ok(CONTROL_GROUPS.includes(button), button);
});

test("every config field but the page's language is a control; optimizer fields follow the optimizer", async () => {
  const { ADVANCED_FIELDS, fieldApplies, sliderRate, LR_SLIDER } = await import("../src/controls.js");
  assert.deepEqual([...FORM_FIELDS].sort(), CONTRACT.config.order.filter((n) => n !== "lang").sort());
  for (const name of ADVANCED_FIELDS) assert.ok(CONTRACT.config.fields[name], name);
  assert.equal(fieldApplies("momentum", { optimizer: "nesterov" }), true);
  assert.equal(fieldApplies("momentum", { optimizer: "adam" }), false);
  assert.equal(fieldApplies("beta2", { optimizer: "adam" }), true);
  assert.equal(fieldApplies("eps", { optimizer: "sgd" }), false);
  assert.equal(fieldApplies("negative_slope", { activation: "leaky_relu" }), true);
  assert.equal(fieldApplies("l2", {}), true);
  for (const opt of ["momentum", "nesterov", "rmsprop", "adam"]) assert.ok(CONTRACT.config.fields.optimizer.choices.includes(opt));
  assert.equal(sliderRate(-2), 0.01);
  assert.equal(sliderRate(-0.5), 0.32);
  assert.ok(10 ** LR_SLIDER.max <= CONTRACT.config.fields.learning_rate.widget.max);
  assert.equal(numericValue("", true), null);
  assert.equal(numericValue("  ", true), null);
  assert.equal(numericValue("", false), "");
});
