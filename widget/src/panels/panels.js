// The diagnostic panels under the three main views: a row of toggle buttons (the panel
// switcher) and one section per panel, opened by the reader or by data-panels (a lesson's
// preset). A panel's view is built the first time it opens and drawn only while open, so the
// default widget stays as calm and as fast as before.

import { el, uid } from "./dom.js";
import { panelText } from "./strings.js";
import { adoptPanelStyles } from "./styles.js";
import { GradientFlowView } from "../views/gradient-flow.js";
import { LandscapeView } from "../views/landscape.js";
import { GradCheckView } from "../views/gradcheck.js";
import { AutogradView } from "../views/autograd-graph.js";

// The panel names, declared once: data-panels="gradientes,paisaje" opens those.
export const PANEL_VIEWS = { gradientes: GradientFlowView, paisaje: LandscapeView, comprobacion: GradCheckView, grafo: AutogradView };
export const PANEL_NAMES = Object.keys(PANEL_VIEWS);

// data-panels → the names to open, in declared order; unknown names are ignored.
export function parsePanels(value) {
  const asked = String(value ?? "").split(",").map((s) => s.trim().toLowerCase());
  return PANEL_NAMES.filter((n) => asked.includes(n));
}

export class Panels {
  // after: the node the switcher follows; ctx: the element's view context (tr, lang, call,
  // snapshot, colors, selectedWeight, …); open: names to open at once.
  constructor(after, ctx, open = []) {
    adoptPanelStyles(after.getRootNode());
    this.ctx = { ...ctx, text: (key, params) => panelText(ctx.lang, key, params) };
    this.entries = new Map();
    const bar = el("div", { class: "bp-switcher", attrs: { role: "group", "aria-label": this.ctx.text("panels.label") } });
    bar.append(el("span", { class: "bp-switcher-label", text: this.ctx.text("panels.label"), attrs: { "aria-hidden": "true" } }));
    const sections = [];
    for (const name of PANEL_NAMES) {
      const id = uid("bp-panel-");
      const title = this.ctx.text(`panel.${name}`);
      const button = el("button", { text: title, attrs: { type: "button", "aria-pressed": "false", "aria-controls": id, "data-panel": name } });
      const heading = el("h3", { text: title, attrs: { id: `${id}-h` } });
      // Unnamed, so not a landmark (a page may hold several widgets with the same panels, and
      // axe counts any named section as one); its heading names it for heading navigation.
      const section = el("section", { class: "bp-extra", attrs: { id, "data-panel": name } }, heading);
      section.hidden = true;
      button.addEventListener("click", () => this.toggle(name));
      bar.append(button);
      sections.push(section);
      this.entries.set(name, { button, section, view: null });
    }
    after.after(bar, ...sections);
    this.bar = bar;
    for (const name of open) this.toggle(name, true);
  }

  isOpen(name) {
    return !this.entries.get(name).section.hidden;
  }

  toggle(name, on = !this.isOpen(name)) {
    const entry = this.entries.get(name);
    if (!entry) return;
    entry.section.hidden = !on;
    entry.button.setAttribute("aria-pressed", on ? "true" : "false");
    if (on && !entry.view) entry.view = new PANEL_VIEWS[name](entry.section, this.ctx);
    if (on) {
      const snap = this.ctx.snapshot();
      if (snap) entry.view.draw(snap);
    }
    this.ctx.panelsChanged?.();
  }

  // Draw every open panel from a complete snapshot.
  draw(snap) {
    for (const { section, view } of this.entries.values()) {
      if (view && !section.hidden) view.draw(snap);
    }
  }

  // Units to mark on the diagram while the gradient-flow panel is open: [{layer, j, kind}].
  markedUnits() {
    const entry = this.entries.get("gradientes");
    return entry.view && !entry.section.hidden ? entry.view.markedUnits() : [];
  }
}
