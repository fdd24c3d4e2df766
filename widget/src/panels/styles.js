// The panels' styles, adopted as a constructable stylesheet by the widget's shadow root (no
// <style> markup, so a strict style-src CSP stays satisfied). Colours are the element's --bp-*.

export const PANEL_CSS = `
.bp-switcher { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; align-items: center; }
.bp-switcher-label { font-size: .9em; color: var(--bp-muted); font-weight: 600; }
.bp-switcher button[aria-pressed="true"] { background: var(--bp-accent); color: var(--bp-accent-fg); }
.bp-switcher button { min-height: 44px; }
.bp-extra details > summary { display: list-item; min-height: 32px; line-height: 32px; } /* keep the disclosure marker */
.bp-fix-group { display: inline-flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-right: 12px; }
.bp-extra { margin-top: 12px; padding: 12px; border: 1px solid var(--bp-border); border-radius: 6px; min-width: 0; }
.bp-extra h3 { margin: 0 0 8px; font-size: 1.05em; }
.bp-extra p { margin: 4px 0 8px; }
.bp-extra-grid { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr)); }
.bp-extra figure { margin: 0; min-width: 0; }
.bp-extra canvas { display: block; width: 100%; height: 200px; border: 1px solid var(--bp-border); border-radius: 4px; background: var(--bp-bg); }
.bp-extra canvas.bp-square { max-width: 600px; }
.bp-table-wrap { overflow-x: auto; max-width: 100%; }
.bp-table { border-collapse: collapse; font-size: .9em; font-variant-numeric: tabular-nums; margin-top: 8px; }
.bp-table caption { text-align: left; color: var(--bp-muted); padding-bottom: 4px; }
.bp-table th, .bp-table td { padding: 4px 10px; border-bottom: 1px solid var(--bp-border); text-align: left; white-space: nowrap; }
.bp-table tr.bp-worst td { background: var(--bp-danger-bg); color: var(--bp-danger-fg); font-weight: 600; }
.bp-status { font-weight: 600; }
.bp-share-status { font-size: .9em; }
.bp-csv { font: .9em/1.4 ui-monospace, monospace; width: 100%; min-height: 6em; padding: 6px 8px; border: 1px solid var(--bp-border);
  border-radius: 4px; background: var(--bp-bg); color: var(--bp-fg); }
.bp-csv:focus-visible, .bp-slider:focus-visible { outline: 3px solid var(--bp-highlight); outline-offset: 2px; }
.bp-csv[aria-invalid="true"] { border-color: var(--bp-danger-fg); }
.bp-field-note { color: var(--bp-muted); font-size: .9em; }
.bp-field input[type="checkbox"] { width: 22px; height: 22px; min-height: 0; padding: 0; align-self: flex-start; accent-color: var(--bp-accent); }
.bp-slider { width: 100%; min-height: 32px; accent-color: var(--bp-accent); }
.bp-share-status[data-status="bad"] { color: var(--bp-danger-fg); }
.bp-status[data-status="vanishing"], .bp-status[data-status="exploding"], .bp-status[data-status="bad"] { color: var(--bp-danger-fg); }
.bp-progress { width: 100%; max-width: 320px; height: 12px; accent-color: var(--bp-accent); }
.bp-pickers { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; }
.bp-pickers label { display: flex; flex-direction: column; gap: 4px; font-size: .9em; font-weight: 600; flex: 1 1 220px; min-width: 0; max-width: 420px; }
.bp-pickers select { font: inherit; min-height: 44px; padding: 4px 8px; border: 1px solid var(--bp-border);
  border-radius: 4px; background: var(--bp-bg); color: var(--bp-fg); width: 100%; }
.bp-pickers input { font: inherit; font-variant-numeric: tabular-nums; min-height: 44px; padding: 4px 8px; border: 1px solid var(--bp-border);
  border-radius: 4px; background: var(--bp-bg); color: var(--bp-fg); width: 100%; box-sizing: border-box; }
.bp-pickers input[aria-invalid="true"] { border-color: var(--bp-danger-fg); }
.bp-pickers .bp-field-note { font-weight: 400; color: var(--bp-danger-fg); }
.bp-extra select:focus-visible, .bp-extra canvas:focus-visible, .bp-pickers input:focus-visible, .bp-graph:focus-visible { outline: 3px solid var(--bp-highlight); outline-offset: 2px; }
.bp-extra canvas.bp-square { touch-action: none; cursor: grab; }
.bp-key { display: inline-block; width: 14px; height: 4px; margin-right: 4px; vertical-align: middle; }
.bp-optimizer { font-variant-numeric: tabular-nums; }
.bp-optimizer dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 4px 0; }
.bp-optimizer dt { color: var(--bp-muted); }
.bp-optimizer dd { margin: 0; }
`;

let sheet = null;

// Adds the panels' sheet to a shadow root once (one shared CSSStyleSheet for every widget).
export function adoptPanelStyles(root) {
  if (typeof CSSStyleSheet !== "function" || !("adoptedStyleSheets" in root)) return;
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(PANEL_CSS);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
