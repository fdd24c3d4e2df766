// The fixes for vanishing and exploding gradients as toggles in the gradient-flow panel (unit
// 8): ReLU instead of the current activation, Xavier or He initialization, clipping the
// gradient norm. Each flip sends `set_config` and then `reset` (the same seeded start, so the
// panel compares like with like, and a diverged network starts over); the engine validates,
// and the toggles show the config the engine reports, never what was asked. Xavier and He are
// the scheme at its own scale: choosing one also sets the initialization scale back to 1.
// The toggles appear where the lesson is about them: once the panel diagnoses a vanishing or
// exploding gradient (unit 8's sick networks, or any network the reader makes sick), and they
// stay, so a fix that cures the network can be switched off again.

import { el } from "../panels/dom.js";
import { setAttr, setHidden } from "../dom-write.js";
import { CONTRACT } from "../contract.js";

// The clipping norm a toggle sets (a gradient longer than this is scaled down to it).
export const CLIP_NORM = 1;
const INITS = { xavier: "xavier_uniform", he: "he_uniform" };
// The engine's gradient statuses (diagnostics.gradient_status) these fixes treat.
export const FIXES_FOR = ["vanishing", "exploding"];

// Whether the toggles show: from the first snapshot whose status they treat, for good.
export function fixesShown(shown, status) {
  return Boolean(shown) || FIXES_FOR.includes(status);
}

// Which toggles are on for a session config.
export function fixesState(config) {
  const init = String(config?.init ?? "");
  const acts = config?.activations?.length ? config.activations : [config?.activation];
  return {
    relu: acts.every((a) => a === "relu"),
    xavier: init.startsWith("xavier") && unitGain(config),
    he: init.startsWith("he") && unitGain(config),
    clip: typeof config?.clip_norm === "number",
  };
}

function unitGain(config) {
  return (config?.init_gain ?? CONTRACT.config.fields.init_gain.default) === 1;
}

// The config change a flip asks for. `before`: the activation to go back to when ReLU is
// switched off (the one the network had), else the contract's default.
export function fixPartial(name, config, before) {
  const on = fixesState(config)[name];
  if (name === "relu") {
    const fallback = CONTRACT.config.fields.activation.default;
    // One activation for every hidden layer (per-layer choices are the form's business).
    return { activation: on ? (before && before !== "relu" ? before : fallback) : "relu", activations: [] };
  }
  if (name === "clip") return { clip_norm: on ? null : CLIP_NORM };
  return on ? null : { init: INITS[name], init_gain: 1 }; // Xavier and He: choose one, not switch off
}

// The toggles' row and its note in `element`, for the panel to place.
export class FlowFixes {
  constructor(ctx) {
    this.ctx = ctx;
    const text = ctx.text;
    this.buttons = {};
    for (const name of ["relu", "xavier", "he", "clip"]) {
      const b = el("button", { text: text(`fixes.${name}`, { clip: CLIP_NORM }), attrs: { type: "button", "aria-pressed": "false" } });
      b.addEventListener("click", () => this.flip(name));
      this.buttons[name] = b;
    }
    const group = (key, ...buttons) => el("div", { class: "bp-fix-group", attrs: { role: "group", "aria-label": text(key) } },
      el("span", { class: "bp-switcher-label", text: text(key), attrs: { "aria-hidden": "true" } }), ...buttons);
    this.note = el("p", { class: "bp-legend", attrs: { "aria-live": "polite" } });
    this.element = el("div", {}, el("div", { class: "bp-switcher bp-fixes" },
      group("fixes.activation", this.buttons.relu), group("fixes.init", this.buttons.xavier, this.buttons.he), group("fixes.clipping", this.buttons.clip)), this.note);
    this.element.hidden = true;
    this.shown = false;
    this.before = null;
  }

  async flip(name) {
    const config = this.ctx.snapshot()?.config;
    const partial = fixPartial(name, config, this.before);
    if (!partial) return;
    if (name === "relu" && config?.activation !== "relu") this.before = config?.activation;
    this._enable(false);
    try {
      await this.ctx.call("set_config", { partial });
      await this.ctx.call("reset", {});
      this.note.textContent = this.ctx.text("fixes.done");
      await this.ctx.refresh();
    } catch (e) {
      this.note.textContent = e.message;
    } finally {
      this._enable(true);
    }
  }

  _enable(on) {
    for (const b of Object.values(this.buttons)) b.disabled = !on;
  }

  draw(snap) {
    this.shown = fixesShown(this.shown, snap?.diagnostics?.gradient_status);
    setHidden(this.element, !this.shown);
    const state = fixesState(snap?.config);
    for (const [name, b] of Object.entries(this.buttons)) setAttr(b, "aria-pressed", String(state[name]));
  }
}
