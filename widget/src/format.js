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

// A loss, weight or gradient for reading: four significant digits, decimal comma in Spanish.
// Non-finite values never reach the page as "NaN"/"Infinity": they become a dash.
export function formatNumber(value, lang = "es", digits = 4) {
  if (!isFiniteNumber(value)) return DASH;
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) {
    return formatter(lang, { notation: "scientific", maximumSignificantDigits: digits }).format(value);
  }
  return formatter(lang, { maximumSignificantDigits: digits }).format(value);
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
  const s = String(text ?? "").trim().replace(/\s/g, "");
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const n = Number(s.replace(",", "."));
  return Number.isFinite(n) ? n : null;
}
