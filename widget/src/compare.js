// <backprop-compare>: one shared Play for the widgets it holds (unit 4 trains the same network
// with three learning rates side by side). It only calls each widget's public API (train(),
// pause(), reset(), getState()); its button labels come from the page (data-label-*), so the
// page's language is the only one shown.

const TRAIN = "data-label-train";
const PAUSE = "data-label-pause";

export class BackpropCompare extends HTMLElement {
  connectedCallback() {
    if (this._bound) return;
    this._bound = true;
    this.play = this.querySelector(".bp-compare-play");
    this.resetButton = this.querySelector(".bp-compare-reset");
    if (!this.play) return;
    this.play.addEventListener("click", () => this.toggle());
    this.resetButton?.addEventListener("click", () => this.resetAll());
    // Every widget reflects its state in data-state (loading, ready, training, error): keep
    // the buttons in step with it, also when a widget stops by itself (divergence).
    new MutationObserver(() => this.sync()).observe(this, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
    this.sync();
  }

  get widgets() {
    return [...this.querySelectorAll("backprop-widget")];
  }

  ready() {
    const widgets = this.widgets;
    return widgets.length > 0 && widgets.every((w) => ["ready", "training"].includes(w.getAttribute("data-state")));
  }

  training() {
    return this.widgets.some((w) => w.getAttribute("data-state") === "training");
  }

  sync() {
    const ready = this.ready();
    this.play.disabled = !ready;
    if (this.resetButton) this.resetButton.disabled = !ready;
    const running = this.training();
    this.play.textContent = this.play.getAttribute(running ? PAUSE : TRAIN);
    this.play.setAttribute("aria-pressed", running ? "true" : "false");
  }

  // One click starts every widget (continuous training) or pauses them all.
  async toggle() {
    if (!this.ready()) return;
    const widgets = this.widgets;
    if (this.training()) await Promise.all(widgets.map((w) => w.pause()));
    else await Promise.all(widgets.map((w) => w.train()));
    this.sync();
  }

  async resetAll() {
    await Promise.all(this.widgets.map((w) => w.pause()));
    await Promise.all(this.widgets.map((w) => w.reset()));
    this.sync();
  }
}

if (typeof customElements !== "undefined" && !customElements.get("backprop-compare")) {
  customElements.define("backprop-compare", BackpropCompare);
}
