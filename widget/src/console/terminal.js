// <backprop-terminal>: a Python console on one widget's engine session (the `terminal`
// shortcode). The Python runs in the page's worker (backprop.consolerun); this element only
// edits the input, sends each line through the widget (`engine(cmd, args)`), prints the reply
// and asks the widget to redraw when the network changed. docs/console.md.

import { keyAction, History, splitLines, needsBlankLine, nextIndent, applyCompletion, completionStep } from "./input.js";
import { echoNode, noteNode, outputNodes, summary } from "./output.js";
import { terminalSheet } from "./styles.js";
import { termText } from "./strings.js";

const MAX_ENTRIES = 400; // printed blocks kept on screen
const READY_STATES = new Set(["ready", "training"]);
const PROMPT = ">>> ";
const MORE = "... ";

function el(doc, tag, attrs = {}, text) {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export class BackpropTerminal extends HTMLElement {
  constructor() {
    super();
    this._history = new History();
    this._queue = Promise.resolve();
    this._opened = null; // promise of the console_open reply
    this._more = false;
    this._running = false;
    this._interrupt = null;
    this._limitMs = 0;
  }

  get lang() {
    return this.getAttribute("data-lang") === "en" ? "en" : "es";
  }

  tr(key, params) {
    return termText(this.lang, key, params);
  }

  connectedCallback() {
    if (!this._built) this._build();
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => this._attach(), { once: true });
    else this._attach();
  }

  _build() {
    this._built = true;
    const doc = this.ownerDocument;
    const root = this.attachShadow({ mode: "open" });
    const sheet = terminalSheet();
    if (sheet) root.adoptedStyleSheets = [sheet];
    const term = el(doc, "div", { class: "term", part: "root" });
    const bar = el(doc, "div", { class: "bar" });
    const dots = el(doc, "span", { class: "dots", "aria-hidden": "true" });
    dots.append(el(doc, "span"), el(doc, "span"), el(doc, "span"));
    this._status = el(doc, "span", { class: "status" }, this.tr("waiting"));
    bar.append(dots, el(doc, "p", { class: "title" }, this.tr("title")), this._status);
    // The log itself is not live (it would read every echo); a short summary is.
    this._screen = el(doc, "div", { class: "screen", role: "log", "aria-live": "off", "aria-label": this.tr("output"), tabindex: "0" });
    this._live = el(doc, "p", { class: "sr", "aria-live": "polite" });
    const row = el(doc, "div", { class: "input-row" });
    this._prompt = el(doc, "span", { class: "prompt", "aria-hidden": "true" }, PROMPT.trim());
    const label = el(doc, "label", { class: "sr", for: "bpt-input" }, this.tr("input"));
    this._input = el(doc, "textarea", { id: "bpt-input", rows: "1", spellcheck: "false", autocapitalize: "off", autocomplete: "off", autocorrect: "off", enterkeyhint: "send", disabled: "" });
    this._run = el(doc, "button", { type: "button", class: "run", disabled: "" }, this.tr("run"));
    row.append(this._prompt, label, this._input, this._run);
    this._completions = el(doc, "ul", { class: "completions", "aria-label": this.tr("completions"), hidden: "" });
    const hint = el(doc, "p", { class: "hint" }, this.tr("hint"));
    term.append(bar, this._screen, this._live, row, this._completions, hint);
    root.append(term);
    const height = parseInt(this.getAttribute("data-height") || "", 10);
    if (height > 0 && sheet) {
      // A per-element rule in the element's own sheet: no inline style attribute.
      const own = new CSSStyleSheet();
      own.replaceSync(`:host { --bpt-height: ${height}px; }`);
      root.adoptedStyleSheets = [sheet, own];
    }
    this._input.addEventListener("keydown", (ev) => this._onKey(ev));
    this._run.addEventListener("click", () => (this._running ? this._interruptNow() : this._submit()));
  }

  // ------------------------------------------------------------------ the widget

  _attach() {
    if (this._widget) return;
    const id = this.getAttribute("data-for");
    const widget = id ? document.getElementById(id) : document.querySelector("backprop-widget");
    if (!widget || widget.localName !== "backprop-widget") {
      this._print(noteNode(this.ownerDocument, id ? this.tr("no_widget_for", { id }) : this.tr("no_widget")));
      this._status.textContent = "";
      return;
    }
    this._widget = widget;
    widget.addEventListener("backprop:ready", () => this._open());
    widget.addEventListener("backprop:error", () => {
      if (widget.getAttribute("data-state") === "error") this._setStatus(this.tr("widget_error"));
    });
    if (READY_STATES.has(widget.getAttribute("data-state"))) this._open();
  }

  _open() {
    if (this._opened) return this._opened;
    this._opened = this._widget.engine("console_open", { lang: this.lang }).then((r) => {
      this._limitMs = r.limit_ms;
      this._interrupt = r.interrupt ? new Uint8Array(r.interrupt) : null;
      if (r.fresh) {
        const name = this._widget.id ? this.tr("attached", { id: this._widget.id }) : "";
        this._print(noteNode(this.ownerDocument, [name, r.banner].filter(Boolean).join(" ")));
      }
      this._input.disabled = this._run.disabled = false;
      this._setStatus(this.tr("ready"));
      return r;
    }, (e) => {
      this._opened = null;
      throw e;
    });
    this._opened.catch(() => {});
    return this._opened;
  }

  // ------------------------------------------------------------------ input

  _onKey(ev) {
    const input = this._input;
    const action = keyAction(ev, { value: input.value, caret: input.selectionStart, selected: input.selectionStart !== input.selectionEnd });
    if (!action) return;
    ev.preventDefault();
    if (action === "run") this._submit();
    else if (action === "interrupt") this._interruptNow();
    else if (action === "complete") this._complete();
    else if (action === "indent") input.setRangeText("    ", input.selectionStart, input.selectionEnd, "end");
    else if (action === "dismiss") this._completions.hidden = true;
    else if (action === "clear") this._screen.replaceChildren();
    else {
      const next = action === "history-up" ? this._history.up(input.value) : this._history.down();
      if (next !== null) {
        input.value = next;
        input.setSelectionRange(next.length, next.length);
      }
    }
  }

  _submit() {
    if (this._input.disabled) return;
    const text = this._input.value;
    this._input.value = "";
    this._completions.hidden = true;
    this._history.add(text);
    const lines = splitLines(text);
    if (needsBlankLine(lines)) lines.push("");
    // Lines run one after another, even when the reader submits while one is running.
    this._queue = this._queue.then(async () => {
      for (const line of lines) if (!(await this._push(line))) break;
    });
  }

  async _complete() {
    const input = this._input;
    const caret = input.selectionStart;
    const source = input.value.slice(0, caret);
    let reply;
    try {
      reply = await this._widget.engine("console_complete", { source });
    } catch {
      return;
    }
    const step = completionStep(source, reply.start, reply.matches);
    if (step.insert !== null && input.selectionStart === caret) {
      const done = applyCompletion(input.value, caret, reply.start, step.insert);
      input.value = done.value;
      input.setSelectionRange(done.caret, done.caret);
    }
    this._showCompletions(step.list, reply.start);
  }

  _showCompletions(list, start) {
    const doc = this.ownerDocument;
    this._completions.replaceChildren(...list.map((m) => {
      const li = el(doc, "li");
      const b = el(doc, "button", { type: "button" }, m);
      b.addEventListener("click", () => {
        const caret = this._input.selectionStart;
        const done = applyCompletion(this._input.value, caret, start, m);
        this._input.value = done.value;
        this._completions.hidden = true;
        this._input.focus();
        this._input.setSelectionRange(done.caret, done.caret);
      });
      li.append(b);
      return li;
    }));
    this._completions.hidden = list.length === 0;
  }

  // Ctrl+C or Detener: interrupt what runs (interrupt buffer), or drop an unfinished block.
  _interruptNow() {
    if (this._running) {
      if (this._interrupt) this._interrupt[0] = 2; // SIGINT: KeyboardInterrupt in the worker
      else this._print(noteNode(this.ownerDocument, this.tr("interrupt_soon", { s: this._seconds() })));
      return;
    }
    this._input.value = "";
    if (this._more) {
      this._more = false;
      this._setPrompt();
      this._print(noteNode(this.ownerDocument, this.tr("cancelled")));
      this._widget.engine("console_open", { lang: this.lang }).catch(() => {}); // drops the buffer
    }
  }

  _seconds() {
    const s = this._limitMs / 1000;
    return this.lang === "en" ? String(s) : String(s).replace(".", ",");
  }

  // ------------------------------------------------------------------ running

  // One line to the engine; false when the rest of a submission should be dropped.
  async _push(line) {
    const doc = this.ownerDocument;
    this._print(echoNode(doc, this._more ? MORE : PROMPT, line));
    this._setRunning(true);
    let timer = null;
    try {
      await this._open();
      if (this._interrupt) timer = setTimeout(() => { this._interrupt[0] = 2; }, this._limitMs);
      const reply = await this._widget.engine("console_push", { line });
      this._more = reply.more;
      const nodes = outputNodes(doc, this.lang, reply.output);
      if (nodes.length) this._print(...nodes);
      this._announce(summary(this.lang, reply.output));
      if (reply.changed) await this._widget.refresh().catch(() => {});
      if (this._more) this._input.value = nextIndent(line) + this._input.value.trimStart();
      return !reply.output.some((o) => o.kind === "error");
    } catch (e) {
      this._more = false;
      const lost = e && (e.code === "worker_lost" || e.code === "worker_failed");
      if (lost) this._opened = null; // the new worker has no console yet: open it again
      const text = lost ? this.tr("restarted") : this.tr("failed", { message: e?.message || String(e) });
      this._print(noteNode(doc, text));
      this._announce(text);
      return false;
    } finally {
      clearTimeout(timer);
      this._setRunning(false);
      this._setPrompt();
    }
  }

  _setRunning(on) {
    this._running = on;
    this._run.textContent = this.tr(on ? "stop" : "run");
    this._run.classList.toggle("secondary", on);
    this._setStatus(this.tr(on ? "running" : "ready"));
  }

  _setPrompt() {
    this._prompt.textContent = (this._more ? MORE : PROMPT).trim();
    this._input.setAttribute("aria-label", this.tr(this._more ? "input_more" : "input"));
  }

  _setStatus(text) {
    this._status.textContent = text;
  }

  _announce(text) {
    if (text) this._live.textContent = text;
  }

  _print(...nodes) {
    const screen = this._screen;
    screen.append(...nodes);
    while (screen.childElementCount > MAX_ENTRIES) screen.firstElementChild.remove();
    screen.scrollTop = screen.scrollHeight;
  }
}

export function defineBackpropTerminal(name = "backprop-terminal") {
  if (typeof customElements === "undefined") return;
  if (!customElements.get(name)) customElements.define(name, BackpropTerminal);
}
