// Number formatting: Intl.NumberFormat for what readers see (decimal comma in Spanish) and a
// locale-free plain decimal for attributes that scripts and tests read.

const formatters = new Map();

function formatter(locale, options) {
  const key = locale + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

export const DASH = "—";

export function isFiniteNumber(v) {
  return typeof v === "number" && Number.isFinite(v);
}

const MINUS = "\u2212"; // the true minus sign, not the hyphen
const SUPERSCRIPT = { "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻" };
// Below this or from 1e6 on, a value is written as a power of ten (8,88 · 10⁻⁵).
const SMALL = 1e-3;
const LARGE = 1e6;
const TIMES = { es: " · ", en: " × " };

function minus(text) {
  return text.replace(/[-\u2212]/g, MINUS);
}

// The power-of-ten form learners read on paper, never the computer's "8,876E-5":
// mantissa with `digits` significant digits, "· 10⁻⁵" (English "× 10⁻⁵").
function powerOfTen(value, lang, digits) {
  const parts = formatter(lang, { notation: "scientific", maximumSignificantDigits: digits }).formatToParts(value);
  let mantissa = "";
  let exponent = "";
  let inExponent = false;
  for (const p of parts) {
    if (p.type === "exponentSeparator") inExponent = true;
    else if (inExponent) exponent += p.type === "exponentMinusSign" ? "-" : p.value;
    else mantissa += p.value;
  }
  const sup = [...exponent].map((c) => SUPERSCRIPT[c] ?? c).join("");
  return `${minus(mantissa)}${TIMES[lang] ?? TIMES.es}10${sup}`;
}

// A loss, weight or gradient for reading: `digits` significant digits (four by default, three
// in a power of ten), decimal comma in Spanish, the true minus sign, never E notation.
// Non-finite values never reach the page as "NaN"/"Infinity": they become a dash.
export function formatNumber(value, lang = "es", digits = 4) {
  if (!isFiniteNumber(value)) return DASH;
  const abs = Math.abs(value);
  if (abs === 0) return "0";
  if (abs < SMALL || abs >= LARGE) return powerOfTen(value, lang, Math.min(digits, 3));
  // From 10^digits on, every integer digit stays (123457, not 123500); no grouping separator,
  // which in Spanish would be a dot that reads as a decimal point.
  const options = abs >= 10 ** digits ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: digits };
  const text = formatter(lang, { ...options, useGrouping: false }).format(value);
  // Rounding can leave "-0": show it as 0.
  return /^-?0$/.test(text) ? "0" : minus(text);
}

export function formatInteger(value, lang = "es") {
  if (!isFiniteNumber(value)) return DASH;
  return formatter(lang, { maximumFractionDigits: 0 }).format(value);
}

export function formatPercent(value, lang = "es") {
  if (!isFiniteNumber(value)) return DASH;
  return formatter(lang, { style: "percent", maximumFractionDigits: 1 }).format(value);
}

// Plain decimal with a dot and no exponent, for data-* attributes; null for non-finite values
// (the caller removes the attribute instead of writing "NaN").
export function attributeNumber(value) {
  if (!isFiniteNumber(value)) return null;
  return formatter("en-US", { useGrouping: false, maximumSignificantDigits: 12 }).format(value);
}

// Parse what a reader typed in a number field. Accepts a decimal comma ("0,1") as well as a
// dot. Returns a finite number or null; the caller then sends the raw text to the engine so
// the refusal message is the engine's own.
export function parseDecimal(text) {
  if (typeof text === "number") return Number.isFinite(text) ? text : null;
  const s = String(text ?? "").trim().replace(/\s/g, "").replace(/\u2212/g, "-");
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const n = Number(s.replace(",", "."));
  return Number.isFinite(n) ? n : null;
}
