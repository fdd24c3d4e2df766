import { test } from "node:test";
import assert from "node:assert/strict";
import { formatNumber, formatInteger, formatPercent, attributeNumber, parseDecimal, DASH } from "../src/format.js";

test("Spanish numbers use a decimal comma, English a dot", () => {
  assert.equal(formatNumber(0.0138, "es"), "0,0138");
  assert.equal(formatNumber(0.0138, "en"), "0.0138");
  assert.equal(formatNumber(0.29837110, "es"), "0,2984");
  assert.equal(formatNumber(-1.5, "es"), "\u22121,5");
});

test("tiny and huge values are a power of ten as on paper, never E notation", () => {
  assert.equal(formatNumber(8.876e-5, "es"), "8,88 · 10⁻⁵");
  assert.equal(formatNumber(8.876e-5, "en"), "8.88 × 10⁻⁵");
  assert.equal(formatNumber(-2.107e-15, "es"), "\u22122,11 · 10⁻¹⁵");
  assert.equal(formatNumber(2.5e7, "en"), "2.5 × 10⁷");
  assert.equal(formatNumber(0.0009995, "es"), "1 · 10⁻³");
  for (let e = -300; e <= 300; e += 7) {
    for (const lang of ["es", "en"]) assert.doesNotMatch(formatNumber(-1.234567 * 10 ** e, lang), /[eE]|-/);
  }
});

test("significant digits by magnitude; a true minus sign; no grouping dot; no minus zero", () => {
  assert.equal(formatNumber(0.3775, "es"), "0,3775");
  assert.equal(formatNumber(0.001, "es"), "0,001");
  assert.equal(formatNumber(123456.7, "es"), "123457");
  assert.equal(formatNumber(12.34567, "es"), "12,35");
  assert.equal(formatNumber(-0.00001, "es", 4), "\u22121 · 10⁻⁵");
  assert.equal(formatNumber(0, "es"), "0");
  assert.equal(formatNumber(-0, "es"), "0");
  assert.equal(formatNumber(-0.3, "en"), "\u22120.3");
});

test("non-finite values never print NaN or Infinity", () => {
  for (const v of [NaN, Infinity, -Infinity, null, undefined, "1"]) {
    assert.equal(formatNumber(v, "es"), DASH);
    assert.equal(formatInteger(v, "es"), DASH);
    assert.equal(formatPercent(v, "es"), DASH);
  }
});

test("integers and percentages", () => {
  assert.equal(formatInteger(0, "es"), "0");
  assert.equal(formatInteger(42, "es"), "42");
  assert.equal(formatPercent(0.875, "es").replace(/\s/g, " "), "87,5 %");
  assert.equal(formatPercent(0.875, "en"), "87.5%");
});

test("attribute numbers are plain decimals with a dot and no exponent", () => {
  assert.equal(attributeNumber(0.5), "0.5");
  assert.equal(attributeNumber(1234567.25), "1234567.25");
  assert.equal(attributeNumber(1e-7), "0.0000001");
  assert.equal(attributeNumber(0.6931471805599453), "0.69314718056");
  assert.equal(Number(attributeNumber(0.123456789)), 0.123456789);
  assert.equal(attributeNumber(NaN), null);
  assert.equal(attributeNumber(Infinity), null);
  assert.equal(attributeNumber(null), null);
});

test("typed numbers accept a comma or a dot; junk gives null", () => {
  assert.equal(parseDecimal("0,1"), 0.1);
  assert.equal(parseDecimal(" 0.03 "), 0.03);
  assert.equal(parseDecimal("-1"), -1);
  assert.equal(parseDecimal("\u22120,25"), -0.25);
  assert.equal(parseDecimal("1e-3"), 0.001);
  assert.equal(parseDecimal(".5"), 0.5);
  assert.equal(parseDecimal("abc"), null);
  assert.equal(parseDecimal(""), null);
  assert.equal(parseDecimal("1,2,3"), null);
  assert.equal(parseDecimal("0x10"), null);
  assert.equal(parseDecimal(7), 7);
  assert.equal(parseDecimal(NaN), null);
});
