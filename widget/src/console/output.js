// What the terminal prints: the echoed input, output, results and the engine's structured
// errors (label, type, message; the reader's deepest frame first, the rest folded). DOM nodes
// built with createElement and textContent only (no innerHTML: the console prints what Python
// says, never markup).

import { termText } from "./strings.js";

function node(doc, tag, cls, text) {
  const el = doc.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined) el.textContent = text;
  return el;
}

// One echoed input line with its prompt (">>> " or "... ").
export function echoNode(doc, prompt, line) {
  const p = node(doc, "pre", "echo");
  p.append(node(doc, "span", "prompt", prompt), doc.createTextNode(line));
  return p;
}

export function noteNode(doc, text) {
  return node(doc, "p", "note", text);
}

// The line a frame points at, with a caret under a syntax error's column.
function whereNode(doc, lang, frame) {
  const p = node(doc, "p", "error-where");
  const place = [frame.line ? termText(lang, "line", { n: frame.line }) : "", frame.name && frame.name !== "<module>" ? termText(lang, "in_fn", { name: frame.name }) : ""]
    .filter(Boolean).join(", ");
  if (place) p.append(doc.createTextNode(place + (frame.code ? ": " : "")));
  if (frame.code) p.append(node(doc, "code", "", frame.code));
  if (frame.offset && frame.code) {
    const pad = " ".repeat(place.length + 2 + Math.max(0, frame.offset - 1));
    p.append(doc.createTextNode("\n"), node(doc, "span", "caret", pad + "^"));
  }
  return p;
}

function frameText(lang, f) {
  const where = f.own ? "<consola>" : f.file;
  return `${where}, ${termText(lang, "line", { n: f.line })}${f.name ? ", " + termText(lang, "in_fn", { name: f.name }) : ""}${f.code ? ": " + f.code : ""}`;
}

// An engine error entry: {label, type, message, frames (deepest first), text}.
export function errorNode(doc, lang, e) {
  const box = node(doc, "div", "error");
  const title = node(doc, "p", "error-title");
  title.append(node(doc, "strong", "", e.label), doc.createTextNode(` (${e.type})${e.message ? ": " + e.message : ""}`));
  box.append(title);
  const frames = e.frames || [];
  const mine = frames.find((f) => f.own) || frames[0];
  if (mine) box.append(whereNode(doc, lang, mine));
  if (frames.length > 1) {
    const details = node(doc, "details");
    details.append(node(doc, "summary", "", termText(lang, "frames", { n: frames.length })));
    const list = node(doc, "ol");
    for (const f of frames) list.append(node(doc, "li", "", frameText(lang, f)));
    details.append(list);
    box.append(details);
  }
  return box;
}

// The nodes of one reply's output list.
export function outputNodes(doc, lang, output) {
  return (output || []).map((o) => (o.kind === "error" ? errorNode(doc, lang, o) : node(doc, "pre", o.kind === "err" ? "err" : "out", o.text.replace(/\n$/, ""))));
}

// A short sentence for the live region: the error, the one line of output, or how many lines.
export function summary(lang, output) {
  const err = (output || []).find((o) => o.kind === "error");
  if (err) return `${err.label}: ${err.message}`.slice(0, 240);
  const text = (output || []).map((o) => o.text || "").join("").replace(/\n$/, "");
  if (!text) return "";
  const lines = text.split("\n");
  return lines.length === 1 ? lines[0].slice(0, 240) : termText(lang, "result_lines", { n: lines.length });
}
