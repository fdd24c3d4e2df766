// The element's views and panels: the network diagram, the data, the loss chart, the
// step-by-step player, the diagnostic panels, the share tools and the settings form. Each gets
// the small context it needs (never the element); all are drawn from one snapshot.

import { LossChartView } from "../views/loss-chart.js";
import { NetworkView } from "../views/network.js";
import { DataView } from "../views/data-view.js";
import { Controls } from "../controls.js";
import { StepMode } from "../steps/mount.js";
import { Panels, parsePanels } from "../panels/panels.js";
import { ShareTools } from "../share/tools.js";

export class WidgetViews {
  // root: the shadow root; slots: the shell's elements (stepper, controls); groups: the
  // control groups data-controls offers; host: what the element lends them: lang, mode, id,
  // panels (data-panels), compare (data-compare), tr, call, refresh, snapshot, busy, notify, theme, setConfig,
  // loadState, liveViewsChanged, redraw.
  constructor(root, slots, groups, host) {
    this.mode = host.mode;
    this.theme = host.theme;
    this.snapshot = host.snapshot;
    this.colors = null;
    this.rest = null; // the views drawFirst left for later frames
    const context = {
      lang: host.lang,
      compare: host.compare, // data-compare: the optimizers the landscape compares
      tr: host.tr,
      mode: host.mode,
      call: host.call,
      refresh: host.refresh,
      snapshot: host.snapshot,
      busy: host.busy,
      notify: host.notify,
      colors: () => this.colors || (this.colors = host.theme()),
      // selection: the step-by-step event highlighted on the diagram
      highlight: () => this.stepper.highlight(),
      highlightChanged: () => this.network.draw(host.snapshot()),
      // step by step: the numbers on the diagram, pinning a parameter, the chain rule's paths
      stepView: () => this.steps?.view(),
      pin: host.mode === "paso-a-paso" ? (hit) => this.steps.pin(hit) : undefined,
      chainPaths: () => this.steps?.chainPaths(),
      // step by step: typing a weight or bias on the diagram (edit, edited, valueBefore)
      edits: host.mode === "paso-a-paso" ? () => this.steps : undefined,
      redraw: () => this.network.draw(host.snapshot()),
      // the diagnostic panels: the weight selected on the diagram, the units they mark on it
      selectedWeight: () => this.network.selected,
      marks: () => (this.panels ? this.panels.markedUnits() : []),
      panelsChanged: host.liveViewsChanged,
    };
    this.network = new NetworkView(root.querySelector(".bp-network"), context);
    this.data = new DataView(root.querySelector(".bp-data"), { ...context, editable: groups.has("data") });
    this.chart = new LossChartView(root.querySelector(".bp-chart"), context);
    this.steps = new StepMode(slots.stepper, context);
    this.stepper = this.steps.stepper;
    slots.stepper.hidden = host.mode !== "paso-a-paso";
    this.panels = new Panels(root.querySelector(".bp-views"), context, parsePanels(host.panels));
    this.share = new ShareTools(this.panels.bar, { ...context, id: host.id, setConfig: host.setConfig, loadState: host.loadState });
    for (const type of ["click", "keyup"]) this.network.canvas.addEventListener(type, () => this.panels.draw(host.snapshot()));
    this.controls = new Controls(slots.controls, {
      ...context,
      setConfig: host.setConfig,
      showGradients: (on) => {
        this.network.setShowGradients(on);
        host.liveViewsChanged();
      },
      logChart: (on) => {
        this.chart.setLog(on);
        host.redraw();
      },
    }, groups);
  }

  // Every canvas from one snapshot; the theme is read once per redraw, so a change shows at once.
  draw(snap) {
    this.rest = null;
    this._drawDiagram(snap);
    this._drawOthers(snap);
  }

  // The theme, read once per redraw (so a change shows at once), then the diagram.
  _drawDiagram(snap) {
    this.colors = this.theme();
    this.network.draw(snap);
  }

  // Every view but the diagram.
  _drawOthers(snap) {
    this.chart.draw(snap);
    this.data.draw(snap);
    this.panels.draw(snap);
  }

  // The shipped first view: the diagram at once, the data, the curves and the open panels two
  // frames later, so the first step-by-step click (answered on the diagram and the step panel)
  // is painted without waiting for them. A full draw meanwhile draws them instead.
  drawFirst(snap) {
    this._drawDiagram(snap);
    const rest = (this.rest = () => {
      if (this.rest !== rest) return;
      this.rest = null;
      const now = this.snapshot();
      if (now) this._drawOthers(now);
    });
    requestAnimationFrame(() => requestAnimationFrame(rest));
  }

  // The form follows the engine's config; a live snapshot carries the one it had.
  follow(snap) {
    if (snap.config === this.formConfig) return;
    this.formConfig = snap.config;
    this.controls.update(snap);
  }

  // What the open views draw besides the live snapshot's basics (session.js, startTraining).
  liveParts() {
    const parts = [];
    if (this.network.showGradients || this.mode === "paso-a-paso") parts.push("gradients");
    if (this.panels?.isOpen("gradientes")) parts.push("diagnostics", "optimizer");
    return parts;
  }

  // Step by step reloads its step after anything that changed the network.
  reloadSteps() {
    if (this.mode === "paso-a-paso") this.stepper.load();
  }
}
