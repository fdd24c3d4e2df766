// The browser loads its MathML stylesheet the first time a formula is styled, and then styles
// the whole page again; it also looks the formula fonts up then. Left to the first step shown,
// both land on the reader's first "Siguiente" (about half of that click's style and layout
// work, docs/performance.md). A small formula of the step panel's kind, laid out but never
// seen, in the loading panel, does both while the page is still small: the body, with the
// views and the step panel, is hidden until the first view arrives.

import { MATHML_NS } from "../mathml.js";

// container: a visible part of the shadow root while the page loads (the loading panel).
export function warmUpMath(container) {
  const box = document.createElement("div");
  box.className = "bp-math bp-warm-up";
  box.setAttribute("aria-hidden", "true");
  const math = document.createElementNS(MATHML_NS, "math");
  for (const [tag, text] of [["mi", "∂L"], ["mo", "="], ["mn", "0,5"], ["mo", "·"], ["mi", "x"]]) {
    const token = document.createElementNS(MATHML_NS, tag);
    token.textContent = text;
    math.append(token);
  }
  box.append(math);
  container.append(box);
  return box;
}
