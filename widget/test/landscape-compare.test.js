import { test } from "node:test";
import assert from "node:assert/strict";
import { PATH_STYLES, compareLines, drawComparePaths, fitSpan, parseCompare } from "../src/views/landscape-compare.js";
import { panelText } from "../src/panels/strings.js";
import { CONTRACT } from "../src/contract.js";

const text = (key, params) => panelText("es", key, params);

test("parseCompare: data-compare to optimizer names", () => {
  assert.deepEqual(parseCompare("sgd, momentum,adam"), ["sgd", "momentum", "adam"]);
  assert.deepEqual(parseCompare(null), []);
  assert.deepEqual(parseCompare(""), []);
});

test("one distinct style per optimizer the engine may compare", () => {
  const max = CONTRACT.commands.landscape.args.compare.choices.length;
  assert.ok(PATH_STYLES.length >= max);
  for (const key of ["color", "dash", "marker"]) {
    assert.equal(new Set(PATH_STYLES.map((s) => JSON.stringify(s[key]))).size, PATH_STYLES.length, key);
  }
  for (let k = 0; k < PATH_STYLES.length; k++) {
    for (const lang of ["es", "en"]) assert.notEqual(panelText(lang, `landscape.style.${k}`), `landscape.style.${k}`);
  }
});

test("compareLines: the engine's label, the final loss with a decimal comma, the line's look", () => {
  const lines = compareLines([{ label: "SGD", final_loss: 0.25 }, { label: "momento", final_loss: -0.5 }], text, "es");
  assert.match(lines[0], /^SGD: pérdida final 0,25 \(línea continua blanca/);
  assert.match(lines[1], /^momento: pérdida final −0,5 \(línea discontinua roja/);
});

test("drawComparePaths: each path from its first point, ending in its marker, the shortest on top", () => {
  const calls = [];
  const ctx = new Proxy({}, {
    get: (t, k) => (k in t ? t[k] : (...args) => calls.push([k, ...args])),
    set: (t, k, v) => ((t[k] = v), true),
  });
  drawComparePaths(ctx, [{ alpha: [0, 1], beta: [0, 2] }, { alpha: [0, 3], beta: [0, 1] }], (a) => 10 * a, (b) => 100 - b);
  const moves = calls.filter(([k]) => k === "moveTo").map(([, x, y]) => [x, y]);
  assert.deepEqual(moves.filter(([x, y]) => x === 0 && y === 100).length, 4); // two paths × halo and colour
  const lines = calls.filter(([k]) => k === "lineTo");
  assert.deepEqual(lines[0].slice(1), [30, 99]); // the longer path first, under
  assert.deepEqual(lines[lines.length - 1].slice(1, 3), [10, 98]); // the shorter one last, on top
  assert.ok(calls.some(([k]) => k === "rect")); // the second path's square marker
});

test("fitSpan: the map's half-width holds the farthest compared point with a margin, two digits", () => {
  const compare = [
    { alpha: [0.3, 0.28, 0.25], beta: [-0.5, -0.6, -0.64] },
    { alpha: [0.3, 1.0], beta: [-0.5, -0.2] }, // 0.7 to the right: the farthest
  ];
  const span = fitSpan(compare, [0.3, -0.5]);
  assert.ok(span >= 0.7 * 1.15 && span < 0.7 * 1.15 * 1.02, span);
  assert.equal(Number(span.toPrecision(2)), span);
  assert.equal(fitSpan([{ alpha: [1], beta: [2] }], [1, 2]), null); // nothing moved
  assert.equal(fitSpan([], [0, 0]), null);
});
