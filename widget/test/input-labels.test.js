import { test } from "node:test";
import assert from "node:assert/strict";
import { diagramFontPx, inputLabels, splitLabel } from "../src/views/input-labels.js";
import { chartPad } from "../src/views/loss-chart.js";

// A stand-in for ctx.measureText at 12 px: about 6.5 px a character.
const measure = (t) => t.length * 6.5;
const UNIT_10 = ["opacidad", "tamaño de la lesión (cm)"];

test("splitLabel: one line when it fits, else two balanced lines at a space", () => {
  assert.deepEqual(splitLabel("opacidad", measure, 80), ["opacidad"]);
  assert.deepEqual(splitLabel("tamaño de la lesión (cm)", measure, 80), ["tamaño de la", "lesión (cm)"]);
  assert.deepEqual(splitLabel("lesion size (cm)", measure, 80), ["lesion", "size (cm)"]);
});

test("splitLabel: an ellipsis only where a line still has no room", () => {
  const [only] = splitLabel("radiografíasintéticas", measure, 60);
  assert.ok(only.endsWith("…") && measure(only) <= 60, only);
  assert.ok(splitLabel("tamaño de la lesión (cm)", measure, 50).some((t) => t.endsWith("…")));
});

test("inputLabels: unit 10's names whole, the column as wide as the widest line, at a phone's and a laptop's width", () => {
  for (const width of [250, 314, 564]) {
    const { lines, left } = inputLabels(UNIT_10, measure, width, 12);
    assert.equal(lines.flat().join(" "), UNIT_10.join(" "), `${width}: ${JSON.stringify(lines)}`);
    for (const t of lines.flat()) assert.ok(measure(t) + 10 <= left, `${t} in ${left}`);
    assert.ok(left <= width * 0.4, `${left} of ${width}`);
  }
});

test("inputLabels: short names keep the nine-character column", () => {
  const { lines, left } = inputLabels(["x₁", "x₂"], measure, 314, 12);
  assert.deepEqual(lines, [["x₁"], ["x₂"]]);
  assert.equal(left, Math.round(12 * 5.3));
});

test("the diagram's and the loss chart's text grow with the widget's text scale", () => {
  assert.equal(diagramFontPx(655), 16);
  assert.equal(diagramFontPx(655, 22 / 16), 22);
  assert.equal(diagramFontPx(300, 22 / 16), 17); // a narrow canvas still grows
  assert.equal(diagramFontPx(1700, 20 / 16), 20); // step mode's wide canvas: the widget's text, no more
  assert.equal(diagramFontPx(1200), 18);
  assert.ok(chartPad(22 / 16).left > chartPad().left && chartPad(22 / 16).bottom > chartPad().bottom);
});
