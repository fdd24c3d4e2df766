// The terminal's input rules (widget/src/console/input.js) and what it announces (output.js).
import { test } from "node:test";
import assert from "node:assert/strict";

import { keyAction, History, splitLines, needsBlankLine, nextIndent, commonPrefix, applyCompletion, completionStep } from "../src/console/input.js";
import { summary } from "../src/console/output.js";
import { TERMINAL_STRINGS, termText } from "../src/console/strings.js";

const key = (k, mods = {}) => ({ key: k, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, ...mods });

test("Enter runs, Shift+Enter leaves a new line to the textarea", () => {
  assert.equal(keyAction(key("Enter"), { value: "x = 1" }), "run");
  assert.equal(keyAction(key("Enter", { shiftKey: true }), { value: "x = 1" }), null);
});

test("Ctrl+C interrupts, unless text is selected: then it copies", () => {
  assert.equal(keyAction(key("c", { ctrlKey: true }), { value: "", selected: false }), "interrupt");
  assert.equal(keyAction(key("c", { ctrlKey: true }), { value: "abc", selected: true }), null);
  assert.equal(keyAction(key("c", { metaKey: true }), { value: "" }), null); // ⌘C copies
  assert.equal(keyAction(key("v", { ctrlKey: true }), { value: "" }), null); // paste is the browser's
});

test("Tab completes after a name, indents elsewhere, and Shift+Tab leaves the field", () => {
  assert.equal(keyAction(key("Tab"), { value: "red.ca", caret: 6 }), "complete");
  assert.equal(keyAction(key("Tab"), { value: "", caret: 0 }), "indent");
  assert.equal(keyAction(key("Tab"), { value: "for i in x:\n", caret: 12 }), "indent");
  assert.equal(keyAction(key("Tab", { shiftKey: true }), { value: "red" }), null);
});

test("↑ and ↓ walk the history only from the first and last line of the input", () => {
  assert.equal(keyAction(key("ArrowUp"), { value: "a", caret: 1 }), "history-up");
  assert.equal(keyAction(key("ArrowUp"), { value: "a\nb", caret: 3 }), null);
  assert.equal(keyAction(key("ArrowDown"), { value: "a\nb", caret: 0 }), null);
  assert.equal(keyAction(key("ArrowDown"), { value: "a\nb", caret: 3 }), "history-down");
  assert.equal(keyAction(key("Escape"), { value: "" }), "dismiss");
});

test("the history keeps the line being typed and skips repeats and blanks", () => {
  const h = new History(3);
  for (const line of ["a", "b", "b", "", "c"]) h.add(line);
  assert.deepEqual(h.items, ["a", "b", "c"]);
  assert.equal(h.up("dra"), "c");
  assert.equal(h.up("c"), "b");
  assert.equal(h.up("b"), "a");
  assert.equal(h.up("a"), null);
  assert.equal(h.down(), "b");
  assert.equal(h.down(), "c");
  assert.equal(h.down(), "dra");
  assert.equal(h.down(), null);
  h.add("d");
  assert.deepEqual(h.items, ["b", "c", "d"]);
});

test("a pasted block is split into lines and finished with a blank line", () => {
  const lines = splitLines("for i in range(3):\r\n    print(i)");
  assert.deepEqual(lines, ["for i in range(3):", "    print(i)"]);
  assert.equal(needsBlankLine(lines), true);
  assert.equal(needsBlankLine(["x = 1"]), false);
  assert.equal(needsBlankLine(["for i in x:", "    pass", ""]), false);
});

test("the next line of a block is indented", () => {
  assert.equal(nextIndent("for i in range(3):"), "    ");
  assert.equal(nextIndent("    if i:  # comentario"), "        ");
  assert.equal(nextIndent("    print(i)"), "    ");
  assert.equal(nextIndent("x = 1"), "");
});

test("completion inserts the one match, or the shared start and a list", () => {
  assert.equal(commonPrefix(["entrenar(", "entradas"]), "entr");
  assert.equal(commonPrefix([]), "");
  assert.deepEqual(completionStep("red.ca", 0, ["red.capas"]), { insert: "red.capas", list: [] });
  const step = completionStep("x = en", 4, ["entrenar(", "enumerate("]);
  assert.equal(step.insert, null);
  assert.deepEqual(step.list, ["entrenar(", "enumerate("]);
  assert.equal(completionStep("x = e", 4, ["entrenar(", "entradas"]).insert, "entr");
  assert.deepEqual(applyCompletion("x = en + 1", 6, 4, "entrenar("), { value: "x = entrenar( + 1", caret: 13 });
});

test("the live region hears a short summary, not the whole output", () => {
  assert.equal(summary("es", [{ kind: "out", text: "42\n" }]), "42");
  assert.equal(summary("es", [{ kind: "out", text: "0\n1\n2\n" }]), "3 líneas de salida.");
  assert.equal(summary("en", [{ kind: "out", text: "0\n1\n" }]), "2 lines of output.");
  assert.equal(summary("es", [{ kind: "out", text: "a\n" }, { kind: "error", label: "Error de sintaxis", message: "invalid syntax" }]), "Error de sintaxis: invalid syntax");
  assert.equal(summary("es", []), "");
});

test("the terminal's strings have the same keys in both languages, and the English has no Spanish", () => {
  assert.deepEqual(Object.keys(TERMINAL_STRINGS.en).sort(), Object.keys(TERMINAL_STRINGS.es).sort());
  for (const text of Object.values(TERMINAL_STRINGS.en)) assert.doesNotMatch(text, /[áéíóúñ¿¡]/);
  assert.equal(termText("es", "line", { n: 3 }), "línea 3");
});
