// Step-by-step mode: replays one training step the engine traced, computation by computation,
// phase by phase and layer by layer, and keeps every number computed so far on the diagram.
// The engine is the one that computes: a trace is recorded on a saved copy of the session
// state, so the engine (and the toolbar, the weights drawn, the boundary) show the state
// before the step until the replay reaches the update, and again when the reader goes back.

import { CONTRACT } from "./contract.js";
import { layerName } from "./views/network.js";
import { renderMath } from "./mathml.js";
import { Replay, phaseOf, worksheet, nodeKey, edgeKey } from "./steps/replay.js";
import { formatNumber } from "./format.js";
import { paramKey } from "./views/network-edit.js";
import { substitute } from "./steps/substitute.js";
import { narrate } from "./steps/narration.js";
import { buildPanel, DEFAULT_SPEED, MAX_NARRATED_SPEED } from "./steps/panel.js";
import { adoptSheet } from "./steps/dom.js";
import { STEP_CSS } from "./steps/styles.js";

export { substitute };

// The diagram element an event belongs to: a neuron {layer, j} or a weight edge
// {layer: index of the weight matrix, i: source, j: target}.
export function eventTarget(ev) {
  if (!ev || typeof ev.layer !== "number") return {};
  if (typeof ev.source === "number" && typeof ev.neuron === "number") {
    return { edge: { layer: ev.layer - 1, i: ev.source, j: ev.neuron } };
  }
  if (typeof ev.neuron === "number") return { node: { layer: ev.layer, j: ev.neuron } };
  return {};
}

// The i18n key that says where an event happens (which phase, which neuron or weight).
export function whereKey(ev) {
  switch (ev?.kind) {
    case "z": return "step.forward_z";
    case "a": return "step.forward_a";
    case "loss": return "step.loss";
    case "grad_a": return "step.grad_a";
    case "da_dz": return "step.da_dz";
    case "delta": return "step.delta";
    case "grad_w": return "step.grad_w";
    case "grad_b": return "step.grad_b";
    case "update": return typeof ev.source === "number" ? "step.update_w" : "step.update_b";
    default: return null;
  }
}

// The label of a trace event: the engine writes it in the session's language; an event
// without one gets the engine's label of its kind (contract).
export function traceLabel(ev, lang) {
  return ev.label || (CONTRACT.labels.trace[ev.kind]?.[lang] ?? ev.kind);
}

// ctx: the view context the element builds: tr, lang, mode, snapshot(), call(), refresh(),
// show(snapshot) (draw a snapshot the element had before), highlightChanged(), and
// engineChanged() (the engine's state moved: the chain-rule panel asks again).
export class Stepper {
  constructor(section, ctx) {
    this.section = section;
    this.ctx = ctx;
    this.replay = new Replay([]);
    this.sample = 0; // which example of the traced batch the per-example numbers show
    this.nextExample = 0; // "one example" mode walks the training set
    this.batchMode = "one";
    this.speed = DEFAULT_SPEED;
    this.timer = null;
    this.busy = false;
    this.states = null; // {before, after}: the engine's saved session around the traced step
    this.engineAt = "before";
    this.edited = new Set(); // paramKey()s of the parameters the reader typed, until a reset
    this.announcement = ""; // said once before the next computation's sentence
    adoptSheet(section.getRootNode?.(), STEP_CSS);
    if (ctx.mode === "paso-a-paso") section.closest?.(".bp-root")?.classList.add("bp-stepmode");
    // A refusal (e.g. a diverged network cannot be traced) is the engine's message, shown.
    const act = (f) => () => this.run(f).catch((e) => ctx.notify(e.code || "error", e.message));
    this.el = buildPanel(section, ctx.tr, ctx.lang, {
      next: act(() => this.next()), prev: act(() => this.move((r) => r.prev())),
      nextPhase: act(() => this.move((r) => r.nextPhase())), prevPhase: act(() => this.move((r) => r.prevPhase())),
      nextLayer: act(() => this.move((r) => r.nextLayer())), prevLayer: act(() => this.move((r) => r.prevLayer())),
      end: act(() => this.move((r) => r.end())),
      play: () => this.togglePlay(),
      speed: (v) => { this.speed = v; if (this.timer) this.startTimer(); },
      batch: (v) => { this.batchMode = v; this.restart(); },
      sample: (v) => { this.sample = v; this.render(); },
    });
    this.render();
  }

  // Forget the replayed step and the edit marks (after a reset, a config change, training, a
  // loaded state); the next "Siguiente" traces anew from the engine's current state.
  load() {
    this.edited.clear();
    this.restart();
  }

  // Forget the replayed step only (another batch mode).
  restart() {
    this.stopTimer();
    this.replay = new Replay([]);
    this.states = null;
    this.engineAt = "before";
    this.render();
  }

  get indices() {
    return this.replay.length ? this.traced : null;
  }

  highlight() {
    return this.replay.current ? eventTarget(this.replay.current) : null;
  }

  // What the diagram's number layer draws (null outside step mode or before a trace).
  view() {
    if (!this.replay.length || this.replay.index < 0) return null;
    return { sheet: this.replay.worksheet(), current: this.replay.current, sample: this.sample, lang: this.ctx.lang };
  }

  // One action at a time: a click while the engine is busy is dropped.
  run(f) {
    if (this.busy) return Promise.resolve();
    this.busy = true;
    this.running = (async () => {
      try {
        await f();
      } finally {
        this.busy = false;
      }
    })();
    return this.running;
  }

  // The same, but waiting for the action under way instead of being dropped (a typed value).
  async runAfter(f) {
    while (this.busy) await this.running.catch(() => {});
    return this.run(f);
  }

  async next() {
    if (this.replay.length && !this.replay.atEnd) return this.move((r) => r.next());
    return this.trace();
  }

  async move(f) {
    if (!this.replay.length) return;
    f(this.replay);
    await this.sync();
    this.render();
  }

  // Records the next step: the state before is saved, the engine traces (and so takes the
  // step), the state after is saved, and the engine goes back to the state before.
  async trace(again = false) {
    const { call } = this.ctx;
    const n = this.ctx.snapshot()?.data?.train?.x?.length || 1;
    // Again (after an edit): the same example, or the same mini-batch (the engine's cursor is
    // back where it was).
    const one = this.batchMode === "one";
    const indices = again ? (one ? this.traced : null) : (one ? [this.nextExample++ % n] : null);
    const before = (await call("save", {})).state;
    const reply = await call("trace", { indices });
    const after = (await call("save", {})).state;
    await call("load", { state: before });
    const trace = reply?.trace || reply;
    this.replay = new Replay(trace?.events);
    this.replay.go(0);
    this.traced = Array.isArray(trace?.indices) ? trace.indices : indices;
    this.sample = Math.min(this.sample, this.traced.length - 1);
    this.states = { before, after };
    this.engineAt = "before";
    await this.sync();
    this.render();
    await this.ctx.engineChanged?.();
  }

  // Runs fn with the engine at the state the replayed step started from (the chain rule of
  // the step the diagram shows), then puts back the state the replay is at.
  async beforeStep(fn) {
    if (!this.states || this.engineAt === "before") return fn();
    await this.ctx.call("load", { state: this.states.before });
    try {
      return await fn();
    } finally {
      await this.ctx.call("load", { state: this.states.after });
    }
  }

  // The engine (and what is drawn) follows the replay across the update.
  async sync() {
    if (!this.states) return;
    const want = this.replay.updated ? "after" : "before";
    if (want === this.engineAt) return;
    await this.ctx.call("load", { state: this.states[want] });
    this.engineAt = want;
    await this.ctx.refresh();
  }

  // The reader typed a parameter's value (name: what it is called, for the announcement): set
  // it on the state before the step, mark it edited, and trace the same step again, replayed
  // from its first computation. Rejects with the engine's message, nothing changed.
  async edit(param, value, name = "") {
    const args = { layer: param.layer, j: param.j, value };
    if (param.i !== null && param.i !== undefined) args.i = param.i;
    await this.runAfter(async () => {
      const back = this.states && this.engineAt !== "before";
      if (back) await this.ctx.call("load", { state: this.states.before });
      let reply;
      try {
        reply = await this.ctx.call("set_parameter", args);
      } catch (e) {
        // Refused: the engine goes back to the state the replay shows.
        if (back) await this.ctx.call("load", { state: this.states.after });
        throw e;
      }
      this.engineAt = "before";
      this.edited.add(paramKey(param));
      const taken = reply?.edited?.value ?? value;
      this.announcement = this.ctx.tr(this.states ? "edit.done_replay" : "edit.done", { name, value: formatNumber(taken, this.ctx.lang, 12) });
      // The engine now holds the new value (and, after a trace, the state before the step).
      if (this.states) await this.trace(true);
      else this.render();
      await this.ctx.refresh();
      if (!this.states) await this.ctx.engineChanged?.();
    });
  }

  // The value a parameter had when the replayed step started (what an edit replaces): the
  // update's "old" once the engine shows the state after the step, else the snapshot's.
  valueBefore(param) {
    const net = this.ctx.snapshot()?.network;
    const weight = param.i !== null && param.i !== undefined;
    const current = weight ? net?.weights?.[param.layer - 1]?.[param.j]?.[param.i] : net?.biases?.[param.layer - 1]?.[param.j];
    if (!this.states || this.engineAt === "before") return current;
    const sheet = worksheet(this.replay.events, this.replay.length - 1);
    const slot = weight ? sheet.edges.get(edgeKey(param.layer, param.j, param.i)) : sheet.biases.get(nodeKey(param.layer, param.j));
    return slot?.old ?? current;
  }

  togglePlay() {
    if (this.timer) this.stopTimer();
    else this.startTimer();
    this.render();
  }

  startTimer() {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.busy) return;
      if (this.replay.length && this.replay.atEnd) {
        this.stopTimer();
        this.render();
        return;
      }
      this.run(() => this.next()).catch(() => this.stopTimer());
    }, 1000 / this.speed);
  }

  stopTimer() {
    clearInterval(this.timer);
    this.timer = null;
  }

  render() {
    const ev = this.replay.current;
    const el = this.el;
    el.prev.disabled = this.replay.index <= 0;
    for (const b of [el.prevPhase, el.prevLayer]) b.disabled = this.replay.index <= 0;
    for (const b of [el.nextPhase, el.nextLayer, el.end]) b.disabled = !this.replay.length || this.replay.atEnd;
    el.play.textContent = this.ctx.tr(this.timer ? "step.pause" : "step.play");
    el.play.setAttribute("aria-label", this.ctx.tr(this.timer ? "step.pause.aria" : "step.play.aria"));
    el.play.setAttribute("aria-pressed", this.timer ? "true" : "false");
    this.renderPhases(ev);
    this.renderOptions();
    if (ev) this.renderEvent(ev);
    else this.renderEmpty();
    this.ctx.highlightChanged();
  }

  renderEmpty() {
    const el = this.el;
    for (const k of ["counter", "where", "formula", "numbers", "state"]) el[k].textContent = "";
    el.label.textContent = this.ctx.tr("step.start");
    el.math.replaceChildren();
    if (this.announcement) el.live.textContent = this.takeAnnouncement();
  }

  takeAnnouncement() {
    const text = this.announcement;
    this.announcement = "";
    return text;
  }

  renderEvent(ev) {
    const { tr, lang } = this.ctx;
    const el = this.el;
    const one = this.traced?.length === 1 ? ` · ${tr("step.sample", { n: this.traced[0] + 1 })}` : "";
    el.counter.textContent = tr("step.counter", { i: this.replay.index + 1, n: this.replay.length }) + one;
    const L = (this.ctx.snapshot()?.network?.sizes || []).length;
    const name = (l) => layerName(tr, l, L);
    const key = whereKey(ev);
    el.where.textContent = key ? tr(key, { j: (ev.neuron ?? 0) + 1, layer: name(ev.layer), i: (ev.source ?? 0) + 1, prev: name((ev.layer ?? 1) - 1) }) : "";
    el.label.textContent = traceLabel(ev, lang);
    const line = substitute(ev, lang, this.sample);
    el.formula.textContent = ev.formula || "";
    el.numbers.textContent = line;
    // The symbolic formula, then the same with the numbers, each on its own line.
    el.math.replaceChildren(...[ev.formula, line].filter(Boolean).map((t) => {
      const row = document.createElement("div");
      row.append(renderMath(t, document));
      return row;
    }));
    el.state.textContent = tr(this.replay.updated ? "step.after_update" : "step.before_update");
    // One announcement per computation, none while playing faster than a reader can follow.
    if (!this.timer || this.speed <= MAX_NARRATED_SPEED) {
      const said = narrate(ev, { tr, lang, L, sample: this.sample });
      el.live.textContent = this.announcement ? `${this.takeAnnouncement()} ${said}` : said;
    }
  }

  renderPhases(ev) {
    const current = ev ? phaseOf(ev) : null;
    for (const li of this.el.phases.children) {
      if (li.dataset.phase === current) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    }
  }

  renderOptions() {
    const { tr } = this.ctx;
    const many = (this.traced?.length || 0) > 1 && this.replay.length > 0;
    this.el.sampleLabel.hidden = !many;
    this.el.meanNote.hidden = !many;
    if (!many) return;
    const sel = this.el.sampleSelect;
    if (sel.options.length !== this.traced.length) {
      sel.replaceChildren(...this.traced.map((idx, k) => {
        const o = document.createElement("option");
        o.value = String(k);
        o.textContent = tr("step.sample", { n: idx + 1 });
        return o;
      }));
    }
    sel.value = String(this.sample);
    this.el.meanNote.textContent = tr("step.mean_note", { n: this.traced.length });
  }
}
