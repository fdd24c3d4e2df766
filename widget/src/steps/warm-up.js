// The browser loads its MathML stylesheet the first time a formula is styled, and then styles
// the whole page again; it also looks the formula fonts up then. Left to the first step shown,
// both land on the reader's first "Siguiente" (about half of that click's style and layout
// work, docs/performance.md). A formula of the step panel's kind, laid out but never seen,
// in the loading panel, does both while the page still loads.

import { renderMath } from "../mathml.js";

const SAMPLE = "∂L/∂w⁽¹⁾₁₂ = −0,25 · x₁";

// container: a visible part of the shadow root while the page loads (the loading panel).
export function warmUpMath(container) {
  const box = document.createElement("div");
  box.className = "bp-math bp-warm-up";
  box.setAttribute("aria-hidden", "true");
  box.append(renderMath(SAMPLE, document));
  container.append(box);
  return box;
}
