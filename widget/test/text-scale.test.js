import { test } from "node:test";
import assert from "node:assert/strict";
import { canvasFont, textScale } from "../src/views/text-scale.js";

test("canvasFont: a pixel size at the widget's text scale", () => {
  assert.equal(canvasFont(12), "12px system-ui, sans-serif");
  assert.equal(canvasFont(12, 1.375), "17px system-ui, sans-serif");
});

test("textScale: 1 without a document or for a node not on the page (a phone's 15 px keeps 1)", () => {
  assert.equal(textScale(null), 1);
  assert.equal(textScale({ clientWidth: 300, isConnected: false }), 1);
});
