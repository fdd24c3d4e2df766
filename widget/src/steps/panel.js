// The step-by-step panel's DOM: titles, the phase strip, the formula (MathML, with a plain
// text twin for screen readers and copying), the replay buttons, the options and the live
// region. Built with createElement; the Stepper fills it.

import { make, button } from "./dom.js";
import { PHASES } from "./replay.js";
import { formatNumber } from "../format.js";

export const SPEEDS = [0.5, 1, 2, 5, 10]; // computations per second
export const DEFAULT_SPEED = 1;
// Faster than this the live region stays quiet (a screen reader could not follow).
export const MAX_NARRATED_SPEED = 1;

function group(tr, key, ...buttons) {
  return make("div", { class: "bp-step-group", attrs: { role: "group", "aria-label": tr(key) } },
    make("span", { class: "bp-step-group-label", text: tr(key), attrs: { "aria-hidden": "true" } }), ...buttons);
}

function select(label, options, onChange) {
  const sel = make("select", { on: { change: () => onChange(sel.value) } });
  for (const [value, text] of options) sel.append(make("option", { text, attrs: { value: String(value) } }));
  return { label: make("label", {}, make("span", { text: label }), sel), select: sel };
}

// actions: {next, prev, nextPhase, prevPhase, nextLayer, prevLayer, play, end, speed(v),
// batch(v), sample(v)}.
export function buildPanel(section, tr, lang, actions) {
  const el = {
    title: make("h3", { class: "bp-step-title", text: tr("step.title") }),
    hint: make("p", { class: "bp-step-hint", text: tr("step.hint") }),
    phases: make("ol", { class: "bp-step-phases", attrs: { "aria-label": tr("step.phases") } }),
    counter: make("p", { class: "bp-step-counter" }),
    where: make("p", { class: "bp-step-where" }),
    label: make("p", { class: "bp-step-label" }),
    math: make("div", { class: "bp-math", attrs: { "aria-hidden": "true" } }),
    formula: make("p", { class: "bp-formula bp-sr" }),
    numbers: make("p", { class: "bp-numbers bp-sr" }),
    state: make("p", { class: "bp-step-state" }),
    live: make("p", { class: "bp-step-live bp-sr", attrs: { "aria-live": "polite", "aria-atomic": "true" } }),
    prev: button(tr, "step.prev", actions.prev, "bp-prev"),
    next: button(tr, "step.next", actions.next, "bp-next bp-primary"),
    prevPhase: button(tr, "step.prev_phase", actions.prevPhase),
    nextPhase: button(tr, "step.next_phase", actions.nextPhase),
    prevLayer: button(tr, "step.prev_layer", actions.prevLayer),
    nextLayer: button(tr, "step.next_layer", actions.nextLayer),
    play: button(tr, "step.play", actions.play, "bp-play"),
    end: button(tr, "step.end", actions.end, "bp-end"),
  };
  el.play.setAttribute("aria-pressed", "false");
  for (const p of PHASES) el.phases.append(make("li", { text: tr(`step.phase.${p}`), attrs: { "data-phase": p } }));
  const speed = select(tr("step.speed"), SPEEDS.map((v) => [v, formatNumber(v, lang)]), (v) => actions.speed(Number(v)));
  speed.select.value = String(DEFAULT_SPEED);
  const batch = select(tr("step.batch"), [["one", tr("step.batch.one")], ["all", tr("step.batch.all")]], actions.batch);
  const sample = select(tr("step.example"), [], (v) => actions.sample(Number(v)));
  el.sampleSelect = sample.select;
  el.sampleLabel = sample.label;
  el.batchSelect = batch.select;
  el.meanNote = make("p", { class: "bp-step-state" });
  section.replaceChildren(
    el.title, el.hint, el.phases, el.counter, el.where, el.label, el.math, el.formula, el.numbers,
    make("div", { class: "bp-step-nav" },
      group(tr, "step.group.computation", el.prev, el.next),
      group(tr, "step.group.phase", el.prevPhase, el.nextPhase),
      group(tr, "step.group.layer", el.prevLayer, el.nextLayer),
      make("div", { class: "bp-step-group" }, el.play, speed.label, el.end)),
    make("div", { class: "bp-step-options" }, batch.label, sample.label),
    el.meanNote, el.state, el.live);
  return el;
}
