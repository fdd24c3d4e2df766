import { test } from "node:test";
import assert from "node:assert/strict";
import { tokens, mathTree } from "../src/mathml.js";

const tags = (list) => list.map((n) => n.tag);

test("identifiers, operators and numbers with a decimal comma", () => {
  const t = tokens("z = 0,15·0,05 + 0,35");
  assert.deepEqual(tags(t), ["mi", "mo", "mn", "mo", "mn", "mo", "mn"]);
  assert.equal(t[2].text, "0,15");
});

test("∂L/∂a is a fraction; a power of ten a superscript; wᵢ a subscript", () => {
  const [frac] = tokens("∂L/∂a");
  assert.equal(frac.tag, "mfrac");
  const power = tokens("8,88 · 10⁻⁵").at(-1);
  assert.equal(power.tag, "msup");
  assert.deepEqual(power.children.map((c) => c.text), ["10", "−5"]);
  const [sub] = tokens("wᵢ");
  assert.equal(sub.tag, "msub");
  assert.deepEqual(sub.children.map((c) => c.text), ["w", "i"]);
});

test("layer superscripts and a pair of subscripts stay on one symbol", () => {
  const [frac] = tokens("∂a⁽²⁾₁/∂z⁽²⁾₁,₀");
  assert.equal(frac.tag, "mfrac");
  const den = frac.children[1].children.at(-1);
  assert.equal(den.tag, "msub");
  assert.equal(den.children[1].text, "1,0");
  assert.equal(mathTree("a").tag, "math");
});

test("a negative number is one token, a subtraction keeps its operator", () => {
  const t = tokens("δ = (−0,2171) · 0,1755 = −0,0381");
  assert.deepEqual(t.filter((n) => n.tag === "mn").map((n) => n.text), ["−0,2171", "0,1755", "−0,0381"]);
  const d = tokens("a − 1");
  assert.deepEqual(tags(d), ["mi", "mo", "mn"]);
});
