// "Nuevos pesos" beside "Reiniciar", and the line that says what either did. Reiniciar (the
// toolbar's) restores the same initial weights; Nuevos pesos asks the engine for new ones by
// sending a new weight seed (init_seed) through setConfig, so the data stay as they are.

import { FIELDS, fieldLimits } from "./fields.js";

// A weight seed other than `current`, within the widget's limits.
export function newSeed(current, random = Math.random) {
  const max = fieldLimits("init_seed").max ?? 2147483647;
  const min = FIELDS.init_seed.min ?? 0;
  const seed = min + Math.floor(random() * (max - min));
  return seed === current ? (seed + 1 > max ? min : seed + 1) : seed;
}

export class WeightButtons {
  // root: the shadow root (the toolbar's buttons live there); ctx: tr, lang, setConfig.
  constructor(root, ctx, groups) {
    this.ctx = ctx;
    this.seed = null;
    this.reset = root.querySelector(".bp-reset");
    const bar = root.querySelector(".bp-bar");
    if (!this.reset || !bar) return;
    this.button = document.createElement("button");
    this.button.type = "button";
    this.button.className = "bp-new-weights";
    this.button.dataset.group = "reset";
    this.button.textContent = ctx.tr("button.new_weights");
    this.button.setAttribute("aria-label", ctx.tr("button.new_weights.aria"));
    this.button.hidden = !groups.has("reset");
    this.reset.after(this.button);
    this.status = document.createElement("p");
    this.status.className = "bp-weights-status";
    this.status.setAttribute("role", "status");
    bar.append(this.status);
    // The toolbar disables Reiniciar while loading; this button follows it.
    const sync = () => { this.button.disabled = this.reset.disabled; };
    new MutationObserver(sync).observe(this.reset, { attributes: true, attributeFilter: ["disabled"] });
    sync();
    this.reset.addEventListener("click", () => this._say("weights.same"));
    // Once training moves on, the line no longer describes the weights.
    for (const b of root.querySelectorAll(".bp-train, .bp-step")) b.addEventListener("click", () => { this.status.textContent = ""; });
    this.button.addEventListener("click", () => this._new());
  }

  _say(key) {
    this.status.textContent = this.seed === null ? "" : this.ctx.tr(key, { seed: String(this.seed) });
  }

  async _new() {
    this.button.disabled = true;
    try {
      await this.ctx.setConfig({ init_seed: newSeed(this.seed) });
      this._say("weights.new");
    } catch (e) {
      this.status.textContent = e.message;
    } finally {
      this.button.disabled = this.reset.disabled;
    }
  }

  // The engine's config: the weight seed the status line names.
  update(config) {
    if (typeof config?.init_seed === "number") this.seed = config.init_seed;
  }
}
