// Building the step-by-step panels without markup strings (strict CSP: createElement, no
// innerHTML, no style attributes).

// make("button", {class: "x", text: "…", attrs: {type: "button"}, on: {click: f}}, child, …)
export function make(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [k, v] of Object.entries(options.attrs || {})) node.setAttribute(k, v);
  for (const [k, f] of Object.entries(options.on || {})) node.addEventListener(k, f);
  node.append(...children.filter(Boolean));
  return node;
}

// A button whose accessible name starts with its visible text.
export function button(tr, key, onClick, cls = "") {
  return make("button", { class: cls, text: tr(key), attrs: { type: "button", "aria-label": tr(`${key}.aria`) }, on: { click: onClick } });
}

let sheet = null;

// Adds the step panels' sheet to a shadow root once (one shared constructable stylesheet).
export function adoptSheet(root, css) {
  if (typeof CSSStyleSheet !== "function" || !root || !("adoptedStyleSheets" in root)) return;
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
