// Styles of the element, scoped by its shadow root (adopted as a constructed stylesheet, so a
// strict style-src without 'unsafe-inline' allows them) so a site theme neither breaks nor is broken
// by them. Theme hooks: every --bp-* property below (canvases read theirs through theme.js);
// the dark set applies when the reader's system prefers a dark scheme.

export const STYLES = `
:host {
  display: block;
  --bp-fg: #1d1d1f;
  --bp-bg: #ffffff;
  --bp-panel: #f6f7f9;
  --bp-accent: #2166ac;
  --bp-accent-fg: #ffffff;
  --bp-muted: #5a5f66;
  --bp-border: #d0d4da;
  --bp-danger-bg: #fde8e4;
  --bp-danger-fg: #8a1c0c;
  --bp-grid: #dddddd;
  --bp-node-border: #555555;
  --bp-highlight: #e69f00;
  --bp-loss-train: #2166ac;
  --bp-loss-val: #d6604d;
  /* taller views on a wide screen (a projector); data-height sets its own */
  --bp-view-height: clamp(280px, 20vw, 420px);
  color-scheme: light;
  color: var(--bp-fg);
  background: var(--bp-bg);
  /* 16 px, growing with the window past about 1450 px (the wide layout a projector gets) up to
     22 px, so a class can read it; drawings follow (views/text-scale.js) */
  font: clamp(16px, calc(0.9vw + 3px), 22px)/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  border: 1px solid var(--bp-border);
  border-radius: 8px;
  padding: 12px;
  box-sizing: border-box;
  max-width: 100%;
}
@media (prefers-color-scheme: dark) {
  :host {
    color-scheme: dark;
    --bp-fg: #e6e6e9;
    --bp-bg: #17181b;
    --bp-panel: #24262b;
    --bp-accent: #6fa8dc;
    --bp-accent-fg: #0d1117;
    --bp-muted: #a4a9b1;
    --bp-border: #454a52;
    --bp-danger-bg: #3d1a14;
    --bp-danger-fg: #ffb4a6;
    --bp-grid: #3a3d43;
    --bp-node-border: #9aa0a8;
    --bp-highlight: #f0b429;
    --bp-loss-train: #6fa8dc;
    --bp-loss-val: #f4a582;
  }
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.bp-bar { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; }
.bp-buttons { display: flex; flex-wrap: wrap; gap: 8px; }
button {
  font: inherit; font-weight: 600;
  min-height: 44px; min-width: 44px; padding: 6px 16px;
  border-radius: 6px; border: 1px solid var(--bp-accent);
  background: var(--bp-bg); color: var(--bp-accent); cursor: pointer;
}
button.bp-primary { background: var(--bp-accent); color: var(--bp-accent-fg); }
button:disabled { opacity: .45; cursor: not-allowed; }
button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible,
summary:focus-visible, canvas:focus-visible {
  outline: 3px solid var(--bp-highlight); outline-offset: 2px;
}
.bp-stats { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0; }
.bp-stat { display: flex; flex-direction: column; }
.bp-stat dt { font-size: .8em; color: var(--bp-muted); }
.bp-stat dd { margin: 0; font-size: clamp(1.2em, 2.2vw, 1.8em); font-variant-numeric: tabular-nums; font-weight: 600; }
.bp-panel { margin-top: 12px; padding: 16px; border-radius: 6px; background: var(--bp-panel); }
.bp-loading { display: flex; gap: 12px; align-items: center; }
.bp-error, .bp-banner { background: var(--bp-danger-bg); color: var(--bp-danger-fg); font-weight: 600; }
.bp-error p { margin: 0 0 8px; }
.bp-notice { margin-top: 8px; padding: 6px 10px; border-left: 4px solid var(--bp-danger-fg); color: var(--bp-danger-fg); }
.bp-error .bp-detail { font-weight: 400; font-size: .85em; }
.bp-error .bp-tech { font-family: ui-monospace, monospace; font-size: .75em; overflow-wrap: anywhere; }
.bp-views { display: grid; gap: 12px; margin-top: 12px;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr)); }
figure { margin: 0; min-width: 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.bp-view canvas { display: block; width: 100%; height: var(--bp-view-height); touch-action: manipulation;
  border: 1px solid var(--bp-border); border-radius: 4px; background: var(--bp-bg); }
.bp-chart canvas { height: calc(var(--bp-view-height) * .6); }
.bp-legend { font-size: .85em; color: var(--bp-muted); margin-top: 4px; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }
.bp-swatch { display: inline-block; width: 18px; height: 3px; vertical-align: middle; margin-right: 4px; }
.bp-swatch-train { background: var(--bp-loss-train); }
.bp-swatch-val { background: repeating-linear-gradient(90deg, var(--bp-loss-val) 0 5px, transparent 5px 8px); }
.bp-tip { min-height: 1.4em; font-size: .9em; font-variant-numeric: tabular-nums; margin-top: 4px; }
.bp-controls { margin-top: 12px; display: grid; gap: 12px; align-items: start;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 250px), 1fr)); }
.bp-field { display: flex; flex-direction: column; gap: 6px; }
.bp-field label, .bp-field legend, .bp-field-label { font-size: .9em; font-weight: 600; }
.bp-field input, .bp-field select, .bp-field textarea { font: inherit; min-height: 40px; padding: 4px 8px; border: 1px solid var(--bp-border);
  border-radius: 4px; background: var(--bp-bg); color: var(--bp-fg); max-width: 100%; }
/* a select as wide as its column, so no choice is cut */
.bp-field select { width: 100%; }
.bp-field input[type="checkbox"] { min-height: 0; width: 20px; height: 20px; accent-color: var(--bp-accent); }
.bp-field-check { display: grid; grid-template-columns: auto 1fr; column-gap: 8px; align-items: center; }
.bp-field-check input { grid-area: 1 / 1; }
.bp-field-check label { grid-area: 1 / 2; }
.bp-field-check .bp-field-error { grid-column: 1 / -1; }
.bp-field [aria-invalid="true"] { border-color: var(--bp-danger-fg); }
.bp-field-error { color: var(--bp-danger-fg); font-size: .9em; min-height: 0; }
.bp-field-error:empty { display: none; }
.bp-field-note { color: var(--bp-muted); font-size: .9em; }
.bp-layers { display: flex; flex-direction: column; gap: 6px; }
.bp-layer { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.bp-layer-name { font-size: .85em; color: var(--bp-muted); min-width: 4em; }
.bp-layers .bp-layer input { width: 4.5em; }
.bp-layers .bp-layer select { flex: 1 1 auto; width: auto; min-width: 9em; }
.bp-layer-buttons { display: flex; gap: 6px; }
fieldset { border: 1px solid var(--bp-border); border-radius: 6px; margin: 0; padding: 8px 12px 12px; min-width: 0;
  display: flex; flex-direction: column; gap: 10px; }
legend { font-weight: 600; padding: 0 4px; }
/* a group folded whole (no legend) starts where the legends' borders do */
fieldset:not(:has(> legend)) { margin-top: 11px; }
details summary { cursor: pointer; font-weight: 600; min-height: 32px; line-height: 32px; }
details > .bp-field { gap: 10px; padding-top: 6px; }
.bp-check { display: flex; gap: 8px; align-items: center; min-height: 32px; }
.bp-check input { width: 20px; height: 20px; margin: 0; accent-color: var(--bp-accent); }
.bp-csv { width: 100%; font-family: ui-monospace, monospace; }
.bp-weights-status { flex-basis: 100%; margin: 0; font-size: .9em; color: var(--bp-muted); }
.bp-weights-status:empty { display: none; }
.bp-data-scale { flex-wrap: nowrap; font-variant-numeric: tabular-nums; }
.bp-data-scale .bp-scale-name { flex: none; }
.bp-data-scale .bp-scale-bar { flex: 0 1 160px; min-width: 48px; height: 12px; border-radius: 2px; }
@media (max-width: 480px) { .bp-data-scale { flex-wrap: wrap; } .bp-data-scale .bp-scale-name { flex-basis: 100%; } }
.bp-class-toggle { display: inline-flex; gap: 4px; flex-wrap: wrap; align-items: center; }
.bp-class-toggle button { min-height: 36px; padding: 4px 10px; }
.bp-class-toggle input { font: inherit; width: 5em; min-height: 36px; padding: 4px 8px; border: 1px solid var(--bp-border);
  border-radius: 4px; background: var(--bp-bg); color: var(--bp-fg); }
.bp-class-toggle button[aria-pressed="true"] { background: var(--bp-accent); color: var(--bp-accent-fg); }
.bp-stepper .bp-step-label { font-weight: 600; margin: 8px 0 4px; }
.bp-stepper .bp-formula { font: 1.15em/1.5 "STIX Two Math", "Cambria Math", "Latin Modern Math", serif; overflow-x: auto; white-space: nowrap; }
.bp-stepper .bp-numbers { font-variant-numeric: tabular-nums; overflow-x: auto; white-space: nowrap; }
.bp-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
/* the landscape's weight pickers: long option texts, so regular weight (and smaller on a phone) */
.bp-pickers label select { font-weight: 400; }
@media (max-width: 480px) {
  .bp-pickers label select { font-size: .85em; }
  :host { padding: 8px; font-size: 15px; }
  .bp-panel { padding: 10px; }
}
@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; scroll-behavior: auto !important; }
}
`;

let sheet = null;

// Adds the element's stylesheet to a shadow root: one CSSStyleSheet shared by every widget;
// a <style> element only where constructable stylesheets are missing (old browsers).
export function adoptStyles(root) {
  if (typeof CSSStyleSheet === "function" && "adoptedStyleSheets" in root && "replaceSync" in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLES);
    }
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [sheet, ...root.adoptedStyleSheets];
    return;
  }
  const style = (root.ownerDocument || document).createElement("style");
  style.textContent = STYLES;
  root.prepend(style);
}
