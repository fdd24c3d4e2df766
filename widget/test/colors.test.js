import { test } from "node:test";
import assert from "node:assert/strict";
import {
  RDBU_11, VIRIDIS_10, hexToRgb, buildLut, DIVERGING_LUT, lutIndex, divergingColor, weightStyle, fillImage,
  luminance,
} from "../src/colors.js";
import { STYLES } from "../src/styles.js";

test("hex colours parse to RGB", () => {
  assert.deepEqual(hexToRgb("#67001f"), [103, 0, 31]);
  assert.deepEqual(hexToRgb("#f7f7f7"), [247, 247, 247]);
});

test("the LUT starts and ends on the published stops and passes through the middle stop", () => {
  const lut = buildLut(RDBU_11, 256);
  assert.deepEqual([...lut.slice(0, 3)], hexToRgb(RDBU_11[0]));
  assert.deepEqual([...lut.slice(255 * 3, 256 * 3)], hexToRgb(RDBU_11[10]));
  // With 11 stops over 256 entries, stop k sits at position k*255/10; k=5 is 127.5: halfway
  // between entries 127 and 128, both within one unit of the white middle.
  const mid = hexToRgb(RDBU_11[5]);
  for (const i of [127, 128]) {
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(lut[i * 3 + c] - mid[c]) <= 2, `entry ${i}`);
  }
  // A 3-stop LUT of size 3 is exactly the stops.
  assert.deepEqual([...buildLut(["#000000", "#808080", "#ffffff"], 3)], [0, 0, 0, 128, 128, 128, 255, 255, 255]);
});

test("viridis table is ten stops from dark purple to yellow", () => {
  assert.equal(VIRIDIS_10.length, 10);
  assert.equal(VIRIDIS_10[0], "#440154");
  assert.equal(VIRIDIS_10[9], "#fde725");
});

test("diverging colours: -1 red end, +1 blue end, 0 neutral", () => {
  assert.equal(divergingColor(-1), "rgb(103,0,31)");
  assert.equal(divergingColor(1), "rgb(5,48,97)");
  const [r, g, b] = divergingColor(0).match(/\d+/g).map(Number);
  assert.ok(r > 240 && g > 240 && b > 240);
  assert.equal(lutIndex(NaN), 128);
  assert.equal(lutIndex(-5), 0);
  assert.equal(lutIndex(5), 255);
});

test("edge width grows with |w| and the hue follows the sign", () => {
  const small = weightStyle(0.1, 2);
  const big = weightStyle(-2, 2);
  assert.ok(big.width > small.width);
  assert.equal(big.width, 6);
  const red = weightStyle(-2, 2).color.match(/\d+/g).map(Number);
  const blue = weightStyle(2, 2).color.match(/\d+/g).map(Number);
  assert.ok(red[0] > red[2], "negative is red");
  assert.ok(blue[2] > blue[0], "positive is blue");
  assert.equal(weightStyle(NaN, 2).width, 0.5);
  assert.equal(weightStyle(1, 0).width, 0.5);
});

test("fillImage maps [lo, hi] onto the LUT and leaves NaN transparent", () => {
  const values = new Float32Array([0, 1, NaN, 0.5]);
  const px = new Uint8ClampedArray(16);
  fillImage(px, values, 0, 4, DIVERGING_LUT, 0, 1, 200);
  assert.deepEqual([...px.slice(0, 4)], [...hexToRgb(RDBU_11[0]), 200]);
  assert.deepEqual([...px.slice(4, 8)], [...hexToRgb(RDBU_11[10]), 200]);
  assert.equal(px[11], 0);
  // offset reads a later block
  const px2 = new Uint8ClampedArray(4);
  fillImage(px2, values, 1, 1, DIVERGING_LUT, 0, 1);
  assert.deepEqual([...px2], [...hexToRgb(RDBU_11[10]), 255]);
});

// The element's background in each scheme, as styles.js declares it.
function background(scheme) {
  const dark = STYLES.indexOf("@media (prefers-color-scheme: dark)");
  const block = scheme === "dark" ? STYLES.slice(dark) : STYLES.slice(0, dark);
  return block.match(/--bp-bg:\s*(#[0-9a-f]{6});/i)[1];
}

const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

test("edges stand out against the background in both schemes, strongest most", () => {
  for (const scheme of ["light", "dark"]) {
    const bg = background(scheme);
    const faint = [-0.01, 0.01].map((w) => contrast(weightStyle(w, 1, bg).color, bg));
    const strong = [-1, 1].map((w) => contrast(weightStyle(w, 1, bg).color, bg));
    for (const c of faint) assert.ok(c >= 1.5, `${scheme}: a faint edge at ${c.toFixed(2)}:1`);
    for (const c of strong) assert.ok(c >= 4.5, `${scheme}: a strong edge at ${c.toFixed(2)}:1`);
    for (let k = 0; k < 2; k++) assert.ok(strong[k] > faint[k], `${scheme}: strength shows as contrast`);
    const red = weightStyle(-1, 1, bg).color.match(/\d+/g).map(Number);
    const blue = weightStyle(1, 1, bg).color.match(/\d+/g).map(Number);
    assert.ok(red[0] > red[2] && blue[2] > blue[0], `${scheme}: red negative, blue positive`);
  }
  // Light (and an unreadable background) keep RdBu's ends.
  assert.equal(weightStyle(1, 1, "#ffffff").color, "rgb(5,48,97)");
  assert.equal(weightStyle(1, 1, "var(--x)").color, "rgb(5,48,97)");
});

test("luminance reads hex and rgb() colours", () => {
  assert.equal(luminance("#ffffff"), 1);
  assert.equal(luminance("#000"), 0);
  assert.equal(luminance("rgb(255, 255, 255)"), 1);
  assert.equal(luminance("black"), null);
});
