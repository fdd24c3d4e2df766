import { test } from "node:test";
import assert from "node:assert/strict";
import { formatNumber, formatInteger, formatPercent, attributeNumber, parseDecimal, DASH } from "../src/format.js";

test("Spanish numbers use a decimal comma, English a dot", () => {
  assert.equal(formatNumber(0.0138, "es"), "0,0138");
  assert.equal(formatNumber(0.0138, "en"), "0.0138");
  assert.equal(formatNumber(0.29837110, "es"), "0,2984");
  assert.equal(formatNumber(-1.5, "es"), "-1,5");
});

test("large and tiny values switch to scientific notation instead of showing zeros", () => {
  assert.match(formatNumber(0.0000123, "es"), /^1,23E-5$/);
  assert.match(formatNumber(2.5e7, "en"), /^2\.5E7$/);
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
  assert.equal(parseDecimal("1e-3"), 0.001);
  assert.equal(parseDecimal(".5"), 0.5);
  assert.equal(parseDecimal("abc"), null);
  assert.equal(parseDecimal(""), null);
  assert.equal(parseDecimal("1,2,3"), null);
  assert.equal(parseDecimal("0x10"), null);
  assert.equal(parseDecimal(7), 7);
  assert.equal(parseDecimal(NaN), null);
});
