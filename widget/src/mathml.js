// Formulas typeset with MathML (Chromium, Firefox and Safari render it natively, in the page's
// font). A formula line, symbolic ("δ = ∂L/∂a · ∂a/∂z") or with numbers ("z = 0,15·0,05 + …"),
// becomes a small tree first (pure, testable), then elements built with createElementNS.

export const MATHML_NS = "http://www.w3.org/1998/Math/MathML";

const SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁽⁾";
const SUP_PLAIN = "0123456789−()";
const SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₙₘ";
const SUB_PLAIN = "0123456789ijknm";
const plain = (s, from, to) => [...s].map((c) => to[from.indexOf(c)] ?? c).join("");

// Token patterns, tried in order at each position.
const RULES = [
  [/^∂[^\s/·=+−()]*\/∂(?:[^\s·=+−(),]|,(?=[₀-₉]))+/u, (m) => {
    const [num, den] = m.split("/");
    return { tag: "mfrac", children: [row(num), row(den)] };
  }],
  [/^\d+(?:[.,]\d+)?/, (m) => ({ tag: "mn", text: m })],
  [new RegExp(`^[${SUPERSCRIPTS}]+`, "u"), (m) => ({ sup: plain(m, SUPERSCRIPTS, SUP_PLAIN) })],
  [new RegExp(`^[${SUBSCRIPTS}]+(?:,[${SUBSCRIPTS}]+)*`, "u"), (m) => ({ sub: plain(m, SUBSCRIPTS, SUB_PLAIN) })],
  [/^[ΣΠ]/u, (m) => ({ tag: "mo", text: m })],
  [new RegExp(`^(?:(?![${SUBSCRIPTS}])\\p{L})+`, "u"), (m) => ({ tag: "mi", text: m })],
  [/^\s+/, () => null],
  [/^./u, (m) => ({ tag: "mo", text: m === "-" ? "−" : m })],
];

// Identifiers inside a fraction (∂L, ∂a⁽²⁾₁) are one row.
function row(text) {
  return { tag: "mrow", children: tokens(text) };
}

// A line of text → MathML nodes {tag, text} / {tag, children}; superscripts and subscripts
// attach to the node before them (10⁻⁵ → msup, wᵢ → msub).
export function tokens(text) {
  const out = [];
  let s = String(text ?? "");
  while (s.length) {
    // A minus sign right after "(", "=", an operator or at the start belongs to the number.
    const last = out.at(-1);
    const signed = s.match(/^[−-]\d+(?:[.,]\d+)?/);
    if (signed && (!last || (last.tag === "mo" && last.text !== ")"))) {
      out.push({ tag: "mn", text: "−" + signed[0].slice(1) });
      s = s.slice(signed[0].length);
      continue;
    }
    for (const [re, make] of RULES) {
      const m = s.match(re);
      if (!m) continue;
      s = s.slice(m[0].length);
      const node = make(m[0]);
      if (node?.sup || node?.sub) {
        const base = out.pop() ?? { tag: "mi", text: "" };
        const text = node.sup ?? node.sub;
        const script = { tag: /^[\d,()−]+$/.test(text) ? "mn" : "mi", text };
        out.push({ tag: node.sup ? "msup" : "msub", children: [base, script] });
      } else if (node) {
        out.push(node);
      }
      break;
    }
  }
  return out;
}

export function mathTree(text) {
  return { tag: "math", children: [row(text)] };
}

// The tree as MathML elements.
export function renderMath(text, doc = document, display = "inline") {
  const build = (node) => {
    const el = doc.createElementNS(MATHML_NS, node.tag);
    if (node.text !== undefined) el.textContent = node.text;
    for (const child of node.children || []) el.appendChild(build(child));
    return el;
  };
  const math = build(mathTree(text));
  // Inline math in its own block keeps the line left-aligned; displaystyle keeps the
  // fractions full size.
  math.setAttribute("display", display);
  math.setAttribute("displaystyle", "true");
  return math;
}
