import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { THEME_PROPERTIES, readTheme } from "../src/theme.js";
import { STYLES } from "../src/styles.js";

// The declarations of a CSS block's custom properties: name -> value.
function declared(block) {
  return Object.fromEntries([...block.matchAll(/(--bp-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

test("every canvas colour is declared for the light and the dark scheme", () => {
  const dark = STYLES.slice(STYLES.indexOf("@media (prefers-color-scheme: dark)"));
  const light = STYLES.slice(0, STYLES.indexOf("@media (prefers-color-scheme: dark)"));
  assert.ok(dark.length < STYLES.length, "no dark set");
  const lightProps = declared(light);
  const darkProps = declared(dark.slice(0, dark.indexOf("}\n}") + 1));
  for (const prop of Object.values(THEME_PROPERTIES)) {
    assert.match(lightProps[prop] || "", /^#[0-9a-f]{6}$/i, `${prop} light`);
    assert.match(darkProps[prop] || "", /^#[0-9a-f]{6}$/i, `${prop} dark`);
    assert.notEqual(lightProps[prop], darkProps[prop], `${prop} is the same in both schemes`);
  }
});

test("the theme is read from the computed custom properties", () => {
  const style = { getPropertyValue: (p) => ({ "--bp-fg": " #111111 ", "--bp-loss-val": "rebeccapurple" })[p] ?? "" };
  const theme = readTheme(style);
  assert.deepEqual(Object.keys(theme), Object.keys(THEME_PROPERTIES));
  assert.equal(theme.fg, "#111111");
  assert.equal(theme.val, "rebeccapurple");
  assert.equal(theme.bg, "");
});

test("no view paints a hard-coded colour: canvases take theirs from the theme", () => {
  for (const file of ["network.js", "data-view.js", "loss-chart.js"]) {
    const src = readFileSync(new URL(`../src/views/${file}`, import.meta.url), "utf8");
    assert.deepEqual(src.match(/["'`]#[0-9a-f]{3,6}["'`]/gi) || [], [], file);
  }
});
