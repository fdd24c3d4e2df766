// <backprop-widget>: its lifecycle, loading, events and public API. The engine session
// (loading, calls, training state, snapshots) is the SessionController's; the shadow DOM's
// frame (panels, toolbar, notice) is the Shell's (element/shell.js); the views and panels,
// each drawn from a small context object, are WidgetViews' (element/views.js); what the
// data-* attributes say is read by element/attributes.js.

import { WidgetError, ERROR_CODES } from "./protocol.js";
import { t } from "./i18n.js";
import { formatInteger } from "./format.js";
import { snapshotAttributes, stepDetail, publicState } from "./snapshot.js";
import { SessionController, engineMessage, prefetchEngine } from "./session.js";
import { FrameScheduler } from "./frames.js";
import { setAttr } from "./dom-write.js";
import { hostTheme } from "./theme.js";
import { parseControls } from "./controls.js";
import { readMode, readConfig, readLang, engineUrls, bundleUrl } from "./element/attributes.js";
import { defaultWorkerUrl } from "./boot.js";
import { Shell, errorText } from "./element/shell.js";
import { WidgetViews } from "./element/views.js";
import { warmUpMath } from "./steps/warm-up.js";

// While the network trains, the numbers above the views (epoch, losses, accuracies) change at
// most this often: at every frame they are a blur, and each change cost the page a layout and a
// paint, a third of its main thread's work while training (docs/performance.md). The views and
// the element's attributes follow every snapshot; a snapshot shown by itself (a step, a pause,
// the end) updates the numbers at once.
const LIVE_STATS_MS = 100;

export class BackpropWidget extends HTMLElement {
  constructor() {
    super();
    this._state = null;
    this._built = false;
    this._statsAt = -Infinity; // when the numbers above the views last changed
    this._controller = new SessionController({
      pending: () => this._frames.request(),
      stopped: () => {
        this._shell.setTraining(false);
        this._setState("ready");
      },
      fatal: (err) => this._showError(err),
      refused: (error) => this.notify(error.code, engineMessage(error, this.lang)),
      lost: (err) => this._onLost(err),
      restored: () => this._onRestored(),
      liveParts: () => this._views.liveParts(),
    });
    this._frames = new FrameScheduler(() => this._drawPending());
  }

  get lang() {
    return readLang(this);
  }

  get mode() {
    return readMode(this);
  }

  tr(key, params) {
    return t(this.lang, key, params);
  }

  static get observedAttributes() {
    return ["data-config"];
  }

  // An author's script may switch presets by rewriting data-config on a live widget.
  attributeChangedCallback(name, oldValue, newValue) {
    if (name !== "data-config" || oldValue === newValue || !this._controller.open || this._state === "loading") return;
    const config = readConfig(this);
    if (config) this.setConfig(config).catch((e) => this.notify(e.code, e.message));
    else this.notify("invalid_config", this.tr("error.invalid_config"));
  }

  connectedCallback() {
    // The shipped first view and the page's worker (Python's start) are asked for before the DOM
    // is built, so both are under way sooner.
    if (!this._controller.open) prefetchEngine(this._engineUrls(), readConfig(this), this.lang);
    if (!this._built) this._build();
    if (!this._controller.open) this._load();
  }

  disconnectedCallback() {
    // Free the engine session; a re-inserted element starts a new one.
    this._controller.close();
    if (this._resizeObserver) this._resizeObserver.disconnect();
  }

  // ------------------------------------------------------------------ DOM

  _build() {
    this._built = true;
    const root = this.attachShadow({ mode: "open" });
    const height = this.getAttribute("data-height");
    if (height && CSS.supports("height", height)) this.style.setProperty("--bp-view-height", height);
    this._shell = new Shell(root, (key, params) => this.tr(key, params), {
      retry: () => this._retry(),
      train: () => (this._controller.training ? this.pause() : this.train()).catch(() => {}),
      step: () => this.train(1).catch(() => {}),
      reset: () => this.reset().catch(() => {}),
    });
    const groups = parseControls(this.getAttribute("data-controls"));
    this._shell.offerButtons(groups);
    const controller = this._controller;
    this._views = new WidgetViews(root, this._shell.el, groups, {
      lang: this.lang, mode: this.mode, id: this.id, panels: this.getAttribute("data-panels"),
      compare: this.getAttribute("data-compare"),
      tr: (key, params) => this.tr(key, params),
      call: (cmd, args) => controller.call(cmd, args),
      refresh: () => this.refresh(),
      snapshot: () => controller.snapshot,
      busy: () => this._state === "loading",
      notify: (code, message) => this.notify(code, message),
      theme: () => hostTheme(this),
      setConfig: (partial) => this.setConfig(partial),
      loadState: (state) => this.loadState(state),
      liveViewsChanged: () => this._liveViewsChanged(),
      redraw: () => this._redraw(),
    });
    if (this.mode === "paso-a-paso") warmUpMath(this._shell.el.loading);
    if (typeof ResizeObserver === "function") {
      // The canvases follow the views' box (width, and the view height it sets), not the body,
      // whose height changes with every step the panel shows.
      this._resizeObserver = new ResizeObserver((entries) => {
        const size = boxSize(entries[entries.length - 1]);
        if (sameSize(size, this._drawnSize)) return; // drawn at this size already
        this._drawnSize = size;
        this._redraw();
      });
      this._resizeObserver.observe(this._shell.el.views);
    }
  }

  _setState(state) {
    this._state = state;
    this.setAttribute("data-state", state);
    this._shell.setBusy(state !== "ready" && state !== "training");
  }

  // ------------------------------------------------------------------ loading

  async _load() {
    this._setState("loading");
    this._shell.showPanel("loading");
    this._shell.showLoadingTitle();
    const config = readConfig(this);
    try {
      if (config === null) throw new WidgetError({ code: "invalid_config", message: this.tr("error.invalid_config") });
      const snap = await this._controller.start({
        ...this._engineUrls(), id: this.id, config, lang: this.lang,
      }, (stage, bytes) => this._shell.showStage(stage, bytes, this.lang), (first) => this._showFirstView(first));
      if (!snap) return; // superseded by a later load or a disconnect
      this._shell.showPanel("body");
      this._views.controls.hidden = false;
      this._show(snap, { event: false });
      this._setState("ready");
      // A first step replayed before the engine ran stays where the reader is (session.js).
      if (!this._controller.keptFirstStep) this._views.reloadSteps();
      await this._views.share.restoreFromLink(); // a shared link's config, refused ones kept out
      this._emit("ready", stepDetail(snap));
    } catch (e) {
      this._showError(e);
    }
  }

  // Where the engine comes from. Unbundled, worker.js sits next to this module.
  _engineUrls() {
    return engineUrls(this, defaultWorkerUrl());
  }

  // The shipped first view (first-view.js), drawn under the loading line while Python starts:
  // "Siguiente" replays the first step at once; the rest waits for the engine (state loading).
  // Only the views and the statistics: the form and the data-* attributes follow the engine.
  // The diagram is drawn at once (the first click redraws only it); the other views follow after
  // the next frames (WidgetViews.drawFirst). The views' size is read once, by the layout the
  // canvases need anyway, so the resize observer does not draw them all again.
  _showFirstView(snap) {
    this._shell.el.body.hidden = false;
    const box = this._shell.el.views.getBoundingClientRect();
    this._drawnSize = { width: box.width, height: box.height };
    this._views.drawFirst(snap);
    this._shell.showStats(snap, this.lang);
  }

  // Reintentar: a widget whose worker was lost after loading gets it back with its session
  // restored; one that never loaded starts again.
  _retry() {
    if (this._controller.open) this._controller.restore("retry").catch(() => {});
    else this._load();
  }

  // The worker died: the page's client is starting a new one and restoring every session.
  _onLost() {
    this._shell.setTraining(false);
    this._setState("loading");
    if (this._shell.errorShown) {
      this._shell.showPanel("loading");
      this._shell.showStage("restore");
    }
    this.notify(ERROR_CODES.worker_lost, this.tr("notice.worker_lost"));
  }

  async _onRestored() {
    try {
      const snap = await this._controller.fetchSnapshot();
      this._shell.showPanel("body");
      this._show(snap, { event: false });
      this._setState("ready");
      this._views.reloadSteps();
      this._shell.notice(this.tr("notice.restored", { epoch: formatInteger(snap.epoch, this.lang) }));
    } catch (e) {
      this._showError(e);
    }
  }

  _errorText(err) {
    return errorText(err, (key, params) => this.tr(key, params), this.lang, bundleUrl(this));
  }

  _showError(err) {
    this._shell.showError(this._errorText(err), err?.detail?.detail);
    this._setState("error");
    const d = err?.detail || {};
    this._emit("error", { code: d.code || err?.code || "error", message: this._errorText(err) });
  }

  _emit(kind, detail) {
    this.dispatchEvent(new CustomEvent(`backprop:${kind}`, { bubbles: true, composed: true, detail }));
  }

  // ------------------------------------------------------------------ drawing

  _drawPending() {
    const snap = this._controller.takePending();
    if (snap) this._show(snap, { event: true });
    // One kept in reserve while training (session.js takePending) is the next frame's.
    if (this._controller.hasPending) this._frames.request();
  }

  // The open views changed while training: the worker sends what they now draw.
  _liveViewsChanged() {
    if (this._controller.training) this._controller.startTraining().catch(() => {});
  }

  // Reflect a complete snapshot (from the controller) in attributes, stats and views. The
  // canvases are drawn before the text and attributes change, so reading the theme and the
  // canvases' sizes forces no style or layout work in the frame.
  _show(snap, { event }) {
    this._frames.ran();
    this._redraw();
    for (const [name, value] of Object.entries(snapshotAttributes(snap))) setAttr(this, name, value);
    const now = performance.now();
    if (!event || !this._controller.training || now - this._statsAt >= LIVE_STATS_MS) {
      this._shell.showStats(snap, this.lang);
      this._statsAt = now;
    }
    this._views.follow(snap);
    if (event) this._emit("step", stepDetail(snap));
  }

  _redraw() {
    const snap = this._controller.snapshot;
    if (!snap || !this._shell.bodyShown) return;
    this._views.draw(snap);
  }

  // ------------------------------------------------------------------ public API

  _requireReady() {
    if (!this._controller.open || this._state === "loading" || this._state === "error") {
      return Promise.reject(new Error(this.tr("loading.title")));
    }
    return null;
  }

  // train(epochs): train that many epochs and resolve with the new state;
  // train(): start continuous training (resolves once started).
  async train(epochs) {
    const notReady = this._requireReady();
    if (notReady) return notReady;
    const controller = this._controller;
    if (epochs === undefined || epochs === null) {
      if (controller.training) return this.getState();
      this._shell.setTraining(true);
      this._setState("training");
      try {
        await controller.startTraining();
      } catch (e) {
        this._shell.setTraining(false);
        this._setState("ready");
        throw e;
      }
      return this.getState();
    }
    await this.pause();
    this._setState("training");
    try {
      this._show(await controller.train(epochs), { event: true });
      this._views.reloadSteps();
    } finally {
      // Entrenar may have been pressed meanwhile: then continuous training owns the state; a
      // lost worker (state "loading") owns it too.
      if (this._state === "training") this._setState(controller.training ? "training" : "ready");
    }
    return this.getState();
  }

  async pause() {
    const notReady = this._requireReady();
    if (notReady) return notReady;
    this._controller.cancelTrain();
    if (!this._controller.training) return this.getState();
    this._shell.setTraining(false);
    // Draw the newest snapshot at once so the reflected epoch no longer moves once pause() resolves.
    const last = await this._controller.stopTraining();
    if (last) this._show(last, { event: true });
    this._setState("ready");
    return this.getState();
  }

  async reset() {
    const notReady = this._requireReady();
    if (notReady) return notReady;
    await this.pause();
    await this._controller.call("reset", {});
    await this.refresh();
    this._views.reloadSteps();
    return this.getState();
  }

  // Ask the engine for a fresh snapshot and draw it.
  async refresh() {
    const snap = await this._controller.fetchSnapshot();
    this._show(snap, { event: false });
    return snap;
  }

  // chainRule(layer, j, i): every path from W[layer][j, i] (without i: the bias b[layer][j]) to
  // the loss, from the engine: {paths: [{nodes, factors, product}], sum, gradient}.
  async chainRule(layer, j, i) {
    const notReady = this._requireReady();
    if (notReady) return notReady;
    return this._views.steps.chainRule(layer, j, i);
  }

  // loadState(state): restore a saved session (the engine's `save`, or a worked example with
  // its own weights and data); the engine validates it.
  async loadState(state) {
    const notReady = this._requireReady();
    if (notReady) return notReady;
    await this.pause();
    // The engine names things in the page's language, whatever the saved state says.
    const named = state && typeof state === "object" && !Array.isArray(state) ? { ...state, config: { ...state.config, lang: this.lang } } : state;
    await this._controller.call("load", { state: named });
    await this.refresh();
    this._views.stepper.load();
    return this.getState();
  }

  // One command on this widget's engine session; the terminal's console sends its lines so.
  engine(cmd, args = {}) {
    const notReady = this._requireReady();
    if (notReady) return notReady;
    return this._controller.call(cmd, args);
  }

  getState() {
    return publicState(this._state, this._controller.snapshot, { training: this._controller.training, mode: this.mode, lang: this.lang });
  }

  // setConfig(partial): the engine validates; a refused value rejects with its (Spanish)
  // message and the network keeps its state.
  async setConfig(partial) {
    const notReady = this._requireReady();
    if (notReady) return notReady;
    await this._controller.call("set_config", { partial });
    await this.refresh();
    this._views.reloadSteps();
    return this.getState();
  }

  // A refusal that is not tied to a form field (a point the engine refused, a training slice
  // that failed): shown for a few seconds and reported as backprop:error.
  notify(code, message) {
    this._shell.notice(message);
    this._emit("error", { code, message });
  }

  get snapshot() {
    return this._controller.snapshot;
  }
}

// The border box of a resize observation ({width, height}), as getBoundingClientRect gives it.
function boxSize(entry) {
  const box = entry.borderBoxSize?.[0];
  return box ? { width: box.inlineSize, height: box.blockSize } : { width: entry.contentRect.width, height: entry.contentRect.height };
}

const sameSize = (a, b) => !!a && !!b && Math.abs(a.width - b.width) < 0.5 && Math.abs(a.height - b.height) < 0.5;

export function defineBackpropWidget(name = "backprop-widget") {
  if (typeof customElements === "undefined") return;
  if (!customElements.get(name)) customElements.define(name, BackpropWidget);
}
