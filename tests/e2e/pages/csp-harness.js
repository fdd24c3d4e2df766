// The strict-CSP test page's harness: an external script (no inline code). It records the
// widget's events and CSP violations, and adds one widget with the query string's data-config.
window.__bp = { ready: [], step: [], error: [], violations: [] };
for (const kind of ["ready", "step", "error"]) {
  document.addEventListener("backprop:" + kind, (e) => window.__bp[kind].push(e.detail));
}
document.addEventListener("securitypolicyviolation", (e) => {
  window.__bp.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
document.addEventListener("DOMContentLoaded", () => {
  const q = new URLSearchParams(location.search);
  const w = document.createElement("backprop-widget");
  w.id = "w1";
  w.setAttribute("data-bundle-url", "/backpropagation/");
  w.setAttribute("data-worker-url", "/widget/src/worker.js");
  w.setAttribute("data-mode", q.get("mode") || "paso-a-paso");
  if (q.has("config")) w.setAttribute("data-config", q.get("config"));
  document.getElementById("widgets").append(w);
});
