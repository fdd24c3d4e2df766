// Step-by-step mode as the element mounts it: the stepper panel, the chain-rule panel after it,
// and what the diagram asks of them (the numbers to write, the paths to light, pinning).

import { Stepper } from "../stepper.js";
import { ChainRulePanel, chainRuleResult } from "../views/chain-rule.js";
import { paramOf } from "../views/network-edit.js";

export class StepMode {
  // section: the stepper's <section>; ctx: the element's view context (see stepper.js), with
  // `redraw()` (draw the diagram again).
  constructor(section, ctx) {
    this.ctx = ctx;
    this.active = ctx.mode === "paso-a-paso";
    this.stepper = new Stepper(section, { ...ctx, engineChanged: () => this.chain?.refresh() });
    if (!this.active) return;
    const chainSection = document.createElement("section");
    chainSection.className = "bp-panel bp-chain";
    section.after(chainSection);
    this.chain = new ChainRulePanel(chainSection, {
      ...ctx,
      root: section.getRootNode(),
      indices: () => this.stepper.indices,
      // The paths of the step the diagram shows: asked at the state that step started from.
      call: (cmd, args) => (cmd === "chain_rule" ? this.stepper.beforeStep(() => ctx.call(cmd, args)) : ctx.call(cmd, args)),
      edit: (param, value, name) => this.stepper.edit(param, value, name),
      pathsChanged: () => ctx.redraw(),
    });
  }

  // The diagram's context callbacks (null outside step mode).
  view() {
    return this.active ? this.stepper.view() : null;
  }

  chainPaths() {
    return this.active ? this.chain.lit : null;
  }

  // The diagram's field: a weight or bias typed on the diagram (name: for the announcement).
  // Rejects with the engine's message, nothing changed.
  edit(hit, value, name) {
    return this.stepper.edit(paramOf(hit), value, name);
  }

  // The weights and biases the reader edited (paramKey()s, until a reset), and a parameter's
  // value before the replayed step (what the field starts with).
  edited() {
    return this.active ? this.stepper.edited : null;
  }

  valueBefore(hit) {
    return this.stepper.valueBefore(paramOf(hit));
  }

  pin(hit) {
    // Through the stepper's queue, so the engine is not asked while a step is being traced.
    if (this.active) this.stepper.run(() => this.chain.pin(paramOf(hit))).catch(() => {});
  }

  // The engine's paths for W[layer][j, i] (i null or undefined: the bias b[layer][j]).
  async chainRule(layer, j, i) {
    const args = { layer, j };
    if (i !== null && i !== undefined) args.i = i;
    return chainRuleResult(await this.ctx.call("chain_rule", args));
  }
}
