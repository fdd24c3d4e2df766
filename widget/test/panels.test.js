import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { PANEL_NAMES, parsePanels } from "../src/panels/panels.js";
import { PANEL_STRINGS, panelText } from "../src/panels/strings.js";
import { flowSeries, unitMarks, weightState } from "../src/views/gradient-flow.js";
import { gradcheckRows } from "../src/views/gradcheck.js";
import { band, sample } from "../src/views/contour.js";
import { decadeRange, powerLabel } from "../src/views/log-lines.js";

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("data-panels opens known panels in declared order, ignoring the rest", () => {
  assert.deepEqual(parsePanels("paisaje, gradientes,nada"), ["gradientes", "paisaje"]);
  assert.deepEqual(parsePanels(null), []);
  assert.deepEqual(parsePanels("COMPROBACION"), ["comprobacion"]);
  for (const name of PANEL_NAMES) assert.ok(PANEL_STRINGS.es[`panel.${name}`], name);
});

test("panel strings: same keys and placeholders in both languages", () => {
  assert.deepEqual(Object.keys(PANEL_STRINGS.es).sort(), Object.keys(PANEL_STRINGS.en).sort());
  for (const key of Object.keys(PANEL_STRINGS.es)) assert.deepEqual(placeholders(PANEL_STRINGS.es[key]), placeholders(PANEL_STRINGS.en[key]), key);
  assert.equal(panelText("es", "flow.dead", { n: 2, units: 8 }), "2 de 8 muertas");
  assert.equal(panelText("fr", "panel.paisaje"), "Paisaje de la pérdida");
});

test("flow history becomes one series per layer, gaps as null", () => {
  const s = flowSeries({ epoch: [0, 5], grad_norm: [[1, 2], [3, null]], update_ratio: [[null, null], [0.1, 0.2]] });
  assert.deepEqual(s.epochs, [0, 5]);
  assert.deepEqual(s.norms, [[1, 3], [2, null]]);
  assert.deepEqual(s.ratios, [[null, 0.1], [null, 0.2]]);
  assert.deepEqual(flowSeries(undefined).norms, []);
});

test("dead and saturated units become diagram marks; optimizer state of one weight", () => {
  const marks = unitMarks({ layers: [{ layer: 1, dead_units: [0, 3] }, { layer: 2, saturated_units: [1] }] });
  assert.deepEqual(marks, [{ layer: 1, j: 0, kind: "dead" }, { layer: 1, j: 3, kind: "dead" }, { layer: 2, j: 1, kind: "saturated" }]);
  const opt = { parameter_names: ["W1", "b1", "W2", "b2"], state: { exp_avg: [[[1, 2]], [0], [[5, 6], [7, 8]], [0]], exp_avg_sq: [[[9, 9]], [0], [[1, 2], [3, 4]], [0]] } };
  assert.deepEqual(weightState(opt, { layer: 1, j: 1, i: 0 }), [{ key: "exp_avg", value: 7 }, { key: "exp_avg_sq", value: 3 }]);
  assert.deepEqual(weightState({ parameter_names: ["W1"], state: {} }, { layer: 0, j: 0, i: 0 }), []);
  assert.equal(weightState(opt, { layer: 5, j: 0, i: 0 }), null);
});

test("gradient check rows: every component, worst first, 1-based names", () => {
  const rows = gradcheckRows({ parameters: [
    { name: "W1", analytic: [[1, 2]], numeric: [[1, 2.1]], relative_error: [[0, 0.05]] },
    { name: "b1", analytic: [3], numeric: [3], relative_error: [1e-9] },
  ] });
  assert.deepEqual(rows.map((r) => r.name), ["W1[1,2]", "b1[1]", "W1[1,1]"]);
  assert.equal(rows[0].numeric, 2.1);
});

test("contour bands and bilinear sampling", () => {
  assert.equal(band(0, 0, 1), 0);
  assert.equal(band(1, 0, 1), 9);
  assert.equal(band(0.55, 0, 1), 5);
  assert.equal(band(null, 0, 1), -1);
  const grid = [[0, 1], [2, 3]];
  assert.equal(sample(grid, 0.5, 0.5), 1.5);
  assert.equal(sample(grid, 1, 0), 1);
  assert.equal(sample([[0, null], [2, 3]], 0.5, 0.5), null);
});

test("log axis decades and labels", () => {
  assert.deepEqual(decadeRange([[0.002, 0.5], [null, -1, 30]]), [-3, 2]);
  assert.equal(decadeRange([[0, null]]), null);
  assert.equal(powerLabel(-3), "10⁻³");
});

test("no panel view paints a hard-coded colour", () => {
  for (const file of ["gradient-flow.js", "landscape.js", "gradcheck.js", "log-lines.js", "unit-marks.js", "contour.js"]) {
    const src = readFileSync(new URL(`../src/views/${file}`, import.meta.url), "utf8");
    assert.deepEqual(src.match(/["'`]#[0-9a-f]{3,6}["'`]/gi) || [], [], file);
  }
});
