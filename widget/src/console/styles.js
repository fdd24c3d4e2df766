// The terminal's styles, adopted by its shadow root as a constructable stylesheet (no inline
// style attribute, no <style> text: a strict CSP without 'unsafe-inline' allows it). Theme
// hooks: the --bpt-* properties; the dark set applies when the reader's system prefers it.

export const TERMINAL_CSS = `
:host {
  display: block;
  --bpt-bg: #fbfbf9;
  --bpt-fg: #1f2328;
  --bpt-bar: #eceef1;
  --bpt-border: #c9ced6;
  --bpt-prompt: #116329;
  --bpt-muted: #59636e;
  --bpt-error: #a40e26;
  --bpt-error-bg: #fff0f0;
  --bpt-accent: #0a58ca;
  --bpt-accent-fg: #ffffff;
  --bpt-focus: #e69f00;
  --bpt-height: 320px;
  color-scheme: light;
  margin: 1.5rem 0;
  max-width: 100%;
}
@media (prefers-color-scheme: dark) {
  :host {
    color-scheme: dark;
    --bpt-bg: #0f1420;
    --bpt-fg: #d6dbe6;
    --bpt-bar: #1a2030;
    --bpt-border: #2f3747;
    --bpt-prompt: #7ee787;
    --bpt-muted: #9aa3b5;
    --bpt-error: #ffa198;
    --bpt-error-bg: #2a1416;
    --bpt-accent: #79b8ff;
    --bpt-accent-fg: #0d1117;
  }
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.term { border: 1px solid var(--bpt-border); border-radius: 10px; overflow: hidden;
  background: var(--bpt-bg); color: var(--bpt-fg);
  font: 15px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; padding: 6px 12px;
  background: var(--bpt-bar); border-bottom: 1px solid var(--bpt-border);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 14px; }
.dots { display: inline-flex; gap: 6px; }
.dots span { width: 10px; height: 10px; border-radius: 50%; background: var(--bpt-border); }
.title { font-weight: 600; margin: 0; font-size: 14px; }
.status { color: var(--bpt-muted); margin-left: auto; }
.screen { height: var(--bpt-height); overflow: auto; padding: 8px 12px; overscroll-behavior: contain;
  user-select: text; -webkit-user-select: text; }
.screen pre, .screen p { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; }
.echo .prompt, .prompt { color: var(--bpt-prompt); user-select: none; -webkit-user-select: none; }
.echo { color: var(--bpt-fg); }
.out { color: var(--bpt-fg); }
.err, .note { color: var(--bpt-muted); }
.error { margin: 2px 0 6px; padding: 4px 8px; border-left: 3px solid var(--bpt-error);
  background: var(--bpt-error-bg); }
.error-title { color: var(--bpt-error); font-weight: 700; }
.error-where { color: var(--bpt-fg); }
.error-where code { font: inherit; }
.caret { color: var(--bpt-error); }
.error details { margin-top: 2px; color: var(--bpt-muted); }
.error summary { cursor: pointer; min-height: 28px; }
.error ol { margin: 0; padding-left: 1.6em; }
.input-row { display: flex; align-items: flex-start; gap: 8px; padding: 8px 12px;
  border-top: 1px solid var(--bpt-border); }
.input-row .prompt { padding-top: 9px; flex: none; }
textarea { flex: 1 1 auto; min-width: 0; min-height: 44px; resize: vertical; margin: 0;
  padding: 9px 8px; border: 1px solid var(--bpt-border); border-radius: 6px;
  background: var(--bpt-bg); color: var(--bpt-fg); font: inherit; tab-size: 4; }
button { flex: none; min-height: 44px; min-width: 44px; padding: 6px 14px; border-radius: 6px;
  border: 1px solid var(--bpt-accent); background: var(--bpt-accent); color: var(--bpt-accent-fg);
  font: 600 15px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; cursor: pointer; }
button.secondary { background: transparent; color: var(--bpt-accent); }
button:disabled { opacity: .5; cursor: not-allowed; }
textarea:focus-visible, button:focus-visible, summary:focus-visible, .screen:focus-visible {
  outline: 3px solid var(--bpt-focus); outline-offset: 1px; }
.completions { display: flex; flex-wrap: wrap; gap: 6px; padding: 0 12px 8px; margin: 0; list-style: none; }
.completions button { min-height: 36px; padding: 4px 10px; background: transparent; color: var(--bpt-fg);
  border-color: var(--bpt-border); font: 14px/1.2 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.hint { margin: 0; padding: 0 12px 8px; color: var(--bpt-muted); font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 480px) {
  .term { font-size: 14px; }
  .screen { padding: 6px 8px; }
  .input-row { flex-wrap: wrap; padding: 8px; }
  .input-row textarea { flex-basis: calc(100% - 3em); }
  .input-row button { flex: 1 1 auto; }
  .hint { display: none; }
}
`;

let sheet = null;

// The shared CSSStyleSheet (one per page), or null where constructable sheets are missing.
export function terminalSheet() {
  if (sheet === null && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(TERMINAL_CSS);
  }
  return sheet;
}
