// The terminal's input rules, without the DOM: which key does what, the history, completion
// and indentation. terminal.js applies them to its textarea; widget/test/console.test.js
// tests them.

export const INDENT = "    ";

// What a keydown means. state: {value, caret (selectionStart), selected (text is selected),
// running (a line is being run)}. Returns an action name or null (the browser's default).
export function keyAction(ev, state) {
  const { value = "", caret = value.length, selected = false } = state;
  const plain = !ev.altKey && !ev.metaKey;
  if (ev.key === "Enter" && !ev.shiftKey && plain && !ev.ctrlKey) return "run";
  if ((ev.key === "c" || ev.key === "C") && ev.ctrlKey && plain && !ev.shiftKey) {
    // With a selection, Ctrl+C copies, as everywhere; without one it interrupts, as in a terminal.
    return selected ? null : "interrupt";
  }
  if (ev.key === "Tab" && plain && !ev.ctrlKey) {
    if (ev.shiftKey) return null; // leave the field (keyboard users are never trapped)
    return /[A-Za-z0-9_.\]\)]$/.test(value.slice(0, caret)) ? "complete" : "indent";
  }
  if (ev.key === "ArrowUp" && plain && !ev.ctrlKey && !ev.shiftKey && !value.slice(0, caret).includes("\n")) return "history-up";
  if (ev.key === "ArrowDown" && plain && !ev.ctrlKey && !ev.shiftKey && !value.slice(caret).includes("\n")) return "history-down";
  if (ev.key === "Escape") return "dismiss";
  if ((ev.key === "l" || ev.key === "L") && ev.ctrlKey && plain) return "clear";
  return null;
}

// The input history, newest last, walked with ↑/↓ as in a shell: the line being typed is kept
// and comes back after the newest entry.
export class History {
  constructor(max = 200) {
    this.max = max;
    this.items = [];
    this.cursor = 0;
    this.draft = "";
  }

  add(entry) {
    const text = entry.replace(/\s+$/, "");
    if (text && this.items[this.items.length - 1] !== text) this.items.push(text);
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
    this.cursor = this.items.length;
    this.draft = "";
  }

  // The previous entry, or null at the oldest.
  up(current) {
    if (this.cursor === 0) return null;
    if (this.cursor === this.items.length) this.draft = current;
    this.cursor -= 1;
    return this.items[this.cursor];
  }

  // The next entry, the kept draft after the newest, or null when already there.
  down() {
    if (this.cursor >= this.items.length) return null;
    this.cursor += 1;
    return this.cursor === this.items.length ? this.draft : this.items[this.cursor];
  }
}

// The lines of one submission. Pasted or Shift+Enter text holds several; "\r\n" is one break.
export function splitLines(text) {
  return String(text).replace(/\r\n?/g, "\n").split("\n");
}

// Whether a submission of several lines should be finished with an empty line, so that a
// pasted `for` block runs at once instead of waiting for the blank line a REPL needs.
export function needsBlankLine(lines) {
  return lines.length > 1 && lines[lines.length - 1].trim() !== "";
}

// The indentation that the next line of an incomplete block starts with.
export function nextIndent(line) {
  const lead = /^\s*/.exec(line)[0];
  return /:\s*(#.*)?$/.test(line) ? lead + INDENT : lead;
}

// The longest start shared by every match ("" for none).
export function commonPrefix(matches) {
  if (!matches.length) return "";
  let prefix = matches[0];
  for (const m of matches) {
    let k = 0;
    while (k < prefix.length && k < m.length && prefix[k] === m[k]) k++;
    prefix = prefix.slice(0, k);
  }
  return prefix;
}

// The text after completing: the word that starts at `start` (of the text before the caret)
// replaced by `completion`. Returns {value, caret}.
export function applyCompletion(value, caret, start, completion) {
  const before = value.slice(0, start) + completion;
  return { value: before + value.slice(caret), caret: before.length };
}

// What Tab does with the engine's matches: the one match, else the longest shared start (if it
// adds something) and the list to choose from.
export function completionStep(source, start, matches) {
  const word = source.slice(start);
  if (matches.length === 1) return { insert: matches[0], list: [] };
  const prefix = commonPrefix(matches);
  return { insert: prefix.length > word.length ? prefix : null, list: matches };
}
