// The step-by-step panel's and the chain-rule panel's styles (adopted as a constructable
// stylesheet by the element's shadow root). Colours are the element's --bp-* properties.

export const STEP_CSS = `
.bp-stepmode .bp-views { grid-template-columns: 1fr; }
/* A wide widget: the diagram keeps the whole width; the data map and the curves share the row
   below, so the map is not a small square between empty bands. */
.bp-stepmode { container-type: inline-size; }
@container (min-width: 1000px) {
  .bp-stepmode .bp-views { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); align-items: start; }
  .bp-stepmode .bp-network { grid-column: 1 / -1; }
  .bp-stepmode .bp-data canvas { height: min(calc(var(--bp-view-height) * 1.6), 62vh); }
}
.bp-stepmode .bp-network canvas { height: max(calc(var(--bp-view-height) * 1.8), min(62vh, 760px)); }
.bp-step-hint { margin: 4px 0 8px; color: var(--bp-muted); font-size: .9em; }
.bp-step-phases { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 8px; padding: 0; list-style: none; }
.bp-step-phases li { padding: 2px 10px; border: 1px solid var(--bp-border); border-radius: 999px; font-size: .9em; }
.bp-step-phases li[aria-current="step"] { background: var(--bp-accent); color: var(--bp-accent-fg); border-color: var(--bp-accent); font-weight: 600; }
.bp-step-nav { display: flex; flex-wrap: wrap; gap: 8px 16px; margin-top: 8px; align-items: center; }
.bp-step-group { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.bp-step-group-label { font-size: .85em; color: var(--bp-muted); font-weight: 600; }
.bp-step-options { display: flex; flex-wrap: wrap; gap: 8px 16px; margin-top: 8px; align-items: center; }
.bp-step-options label { display: inline-flex; gap: 6px; align-items: center; font-size: .9em; }
.bp-step-options select, .bp-chain-edit input { font: inherit; min-height: 40px; padding: 4px 8px; border: 1px solid var(--bp-border);
  border-radius: 4px; background: var(--bp-bg); color: var(--bp-fg); }
.bp-step-state { font-size: .9em; color: var(--bp-muted); margin: 8px 0 0; }
.bp-math { overflow-x: auto; font-size: 1.15em; padding: 4px 0; }
.bp-math math { font-family: "STIX Two Math", "Cambria Math", "Latin Modern Math", math; text-align: left; margin: 2px 0; }
.bp-warm-up { position: absolute; visibility: hidden; height: 0; overflow: hidden; padding: 0; }
.bp-chain { margin-top: 12px; }
.bp-chain h3 { margin: 0 0 4px; font-size: 1.05em; }
.bp-chain-paths { margin: 8px 0; padding-left: 1.6em; max-height: 26em; overflow: auto; }
.bp-chain-paths li { padding: 4px 6px; border-radius: 4px; font-variant-numeric: tabular-nums; }
.bp-chain-paths li:hover, .bp-chain-paths li:focus { background: var(--bp-bg); outline: 2px solid var(--bp-highlight); }
.bp-chain-values { font-size: .9em; color: var(--bp-muted); overflow-wrap: anywhere; }
.bp-chain-sum { font-weight: 600; font-variant-numeric: tabular-nums; }
.bp-chain-edit { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.bp-chain-edit input[aria-invalid="true"] { border-color: var(--bp-danger-fg); }
.bp-chain-error { color: var(--bp-danger-fg); font-size: .9em; }
.bp-stepmode .bp-network { position: relative; }
.bp-edit { position: absolute; z-index: 2; display: flex; flex-wrap: wrap; gap: 4px; align-items: center; max-width: min(20em, 100%);
  padding: 4px; border: 2px solid var(--bp-accent); border-radius: 6px; background: var(--bp-bg); box-shadow: 0 2px 8px rgb(0 0 0 / .25); }
.bp-edit[hidden] { display: none; }
.bp-edit input { font: inherit; width: 8em; min-height: 44px; padding: 4px 8px; border: 1px solid var(--bp-border); border-radius: 4px;
  background: var(--bp-bg); color: var(--bp-fg); font-variant-numeric: tabular-nums; }
.bp-edit input[aria-invalid="true"] { border-color: var(--bp-danger-fg); }
.bp-edit button { min-height: 44px; }
.bp-edit-error { flex-basis: 100%; margin: 0; color: var(--bp-danger-fg); font-size: .9em; }
.bp-edit-error:empty { display: none; }
`;
