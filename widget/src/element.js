// <backprop-widget>: attributes, events, the shadow DOM and the public API. The engine session
// (loading, calls, training state, snapshots) is the SessionController's; each view draws
// itself from a small context object (strings, language, the call function, callbacks, colours).

import { WidgetError, ERROR_CODES } from "./protocol.js";
import { t, normalizeLang } from "./i18n.js";
import { formatNumber, formatInteger, formatPercent } from "./format.js";
import { snapshotAttributes, stepDetail, isDiverged, publicState } from "./snapshot.js";
import { SessionController, engineMessage } from "./session.js";
import { FrameScheduler } from "./frames.js";
import { hostTheme } from "./theme.js";
import { buildTemplate } from "./template.js";
import { adoptStyles } from "./styles.js";
import { LossChartView } from "./views/loss-chart.js";
import { NetworkView } from "./views/network.js";
import { DataView } from "./views/data-view.js";
import { Controls, parseControls } from "./controls.js";
import { StepMode } from "./steps/mount.js";
import { Panels, parsePanels } from "./panels/panels.js";
import { ShareTools } from "./share/tools.js";

const MODES = ["explorar", "paso-a-paso", "entrenar"];
const NOTICE_MS = 6000;

export class BackpropWidget extends HTMLElement {
  constructor() {
    super();
    this._state = null;
    this._built = false;
    this._colors = null;
    this._controller = new SessionController({
      pending: () => this._frames.request(),
      stopped: () => {
        this._setTrainButton(false);
        this._setState("ready");
      },
      fatal: (err) => this._showError(err),
      refused: (error) => this.notify(error.code, engineMessage(error, this.lang)),
      lost: (err) => this._onLost(err),
      restored: () => this._onRestored(),
      liveParts: () => this._liveParts(),
    });
    this._frames = new FrameScheduler(() => this._drawPending());
  }

  get lang() {
    return normalizeLang(this.getAttribute("data-lang") || "es");
  }

  get mode() {
    const m = this.getAttribute("data-mode");
    return MODES.includes(m) ? m : "explorar";
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
    const config = this._config();
    if (config) this.setConfig(config).catch((e) => this.notify(e.code, e.message));
    else this.notify("invalid_config", this.tr("error.invalid_config"));
  }

  connectedCallback() {
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
    adoptStyles(root);
    buildTemplate(root);
    const $ = (s) => root.querySelector(s);
    this._el = {
      loading: $(".bp-loading"), loadingTitle: $(".bp-loading-title"), loadingStage: $(".bp-loading-stage"),
      error: $(".bp-error"), errorTitle: $(".bp-error-title"), errorDetail: $(".bp-error .bp-detail"),
      errorTech: $(".bp-error .bp-tech"), retry: $(".bp-retry"),
      body: $(".bp-body"), train: $(".bp-train"), step: $(".bp-step"), reset: $(".bp-reset"),
      epoch: $(".bp-epoch"), loss: $(".bp-loss"), valLoss: $(".bp-val-loss"), accuracy: $(".bp-accuracy"), accStat: $(".bp-acc-stat"),
      banner: $(".bp-banner"), notice: $(".bp-notice"), stepper: $(".bp-stepper"), controls: $(".bp-controls"),
    };
    for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = this.tr(node.dataset.i18n);
    this._label(this._el.retry, "error.retry");
    this._label(this._el.step, "button.step");
    this._label(this._el.reset, "button.reset");
    this._el.banner.textContent = this.tr("diverged");
    this._setTrainButton(false);

    this._el.retry.addEventListener("click", () => this._retry());
    this._el.train.addEventListener("click", () => (this._controller.training ? this.pause() : this.train()).catch(() => {}));
    this._el.step.addEventListener("click", () => this.train(1).catch(() => {}));
    this._el.reset.addEventListener("click", () => this.reset().catch(() => {}));

    const groups = parseControls(this.getAttribute("data-controls"));
    for (const b of root.querySelectorAll(".bp-buttons [data-group]")) b.hidden = !groups.has(b.dataset.group);
    this._buildViews(root, groups);

    if (typeof ResizeObserver === "function") {
      this._resizeObserver = new ResizeObserver(() => this._redraw());
      this._resizeObserver.observe(this._el.body);
    }
  }

  // The views and panels, each given the context it needs instead of the element.
  _buildViews(root, groups) {
    const controller = this._controller;
    const context = {
      lang: this.lang,
      tr: (key, params) => this.tr(key, params),
      mode: this.mode,
      call: (cmd, args) => controller.call(cmd, args),
      refresh: () => this.refresh(),
      snapshot: () => controller.snapshot,
      busy: () => this._state === "loading",
      notify: (code, message) => this.notify(code, message),
      colors: () => this._colors || (this._colors = hostTheme(this)),
      // selection: the step-by-step event highlighted on the diagram
      highlight: () => this._stepper.highlight(),
      highlightChanged: () => this._network.draw(controller.snapshot),
      // step by step: the numbers on the diagram, pinning a parameter, the chain rule's paths
      stepView: () => this._steps?.view(),
      pin: this.mode === "paso-a-paso" ? (hit) => this._steps.pin(hit) : undefined,
      chainPaths: () => this._steps?.chainPaths(),
      redraw: () => this._network.draw(controller.snapshot),
      // the diagnostic panels: the weight selected on the diagram, the units they mark on it
      selectedWeight: () => this._network.selected,
      marks: () => (this._panels ? this._panels.markedUnits() : []),
      panelsChanged: () => this._liveViewsChanged(),
    };
    this._network = new NetworkView(root.querySelector(".bp-network"), context);
    this._data = new DataView(root.querySelector(".bp-data"), { ...context, editable: groups.has("data") });
    this._chart = new LossChartView(root.querySelector(".bp-chart"), context);
    this._steps = new StepMode(this._el.stepper, context);
    this._stepper = this._steps.stepper;
    this._el.stepper.hidden = this.mode !== "paso-a-paso";
    this._panels = new Panels(root.querySelector(".bp-views"), context, parsePanels(this.getAttribute("data-panels")));
    this._share = new ShareTools(this._panels.bar, { ...context, id: this.id, setConfig: (p) => this.setConfig(p), loadState: (s) => this.loadState(s) });
    for (const type of ["click", "keyup"]) this._network.canvas.addEventListener(type, () => this._panels.draw(controller.snapshot));
    this._controls = new Controls(this._el.controls, {
      ...context,
      setConfig: (partial) => this.setConfig(partial),
      showGradients: (on) => {
        this._network.setShowGradients(on);
        this._liveViewsChanged();
      },
      logChart: (on) => {
        this._chart.setLog(on);
        this._redraw();
      },
    }, groups);
  }

  _label(button, key) {
    button.textContent = this.tr(key);
    button.setAttribute("aria-label", this.tr(`${key}.aria`));
  }

  _setTrainButton(training) {
    this._label(this._el.train, training ? "button.pause" : "button.train");
    this._el.train.setAttribute("aria-pressed", training ? "true" : "false");
  }

  _setState(state) {
    this._state = state;
    this.setAttribute("data-state", state);
    const busy = state !== "ready" && state !== "training";
    for (const b of [this._el.train, this._el.step, this._el.reset]) b.disabled = busy;
  }

  // ------------------------------------------------------------------ loading

  // The config object of data-config; {} when absent, null when it is not a JSON object
  // ('"hola"', '[1]', broken JSON): refused, never silently replaced by the defaults.
  _config() {
    const raw = this.getAttribute("data-config");
    if (raw === null || raw.trim() === "") return {};
    try {
      const c = JSON.parse(raw);
      return c && typeof c === "object" && !Array.isArray(c) ? c : null;
    } catch {
      return null;
    }
  }

  _workerUrl() {
    const w = this.getAttribute("data-worker-url");
    if (w) return new URL(w, document.baseURI).href;
    // Unbundled, worker.js sits next to this module; a bundle must pass data-worker-url.
    return new URL("./worker.js", import.meta.url || document.baseURI).href;
  }

  _bundleUrl() {
    const b = this.getAttribute("data-bundle-url") || "/backpropagation/";
    const abs = new URL(b, document.baseURI).href;
    return abs.endsWith("/") ? abs : abs + "/";
  }

  // Where the Pyodide core comes from when the site opts into a CDN ("" = the bundle).
  _pyodideUrl() {
    const p = this.getAttribute("data-pyodide-url");
    return p ? new URL(p, document.baseURI).href : "";
  }

  _showPanel(name) {
    this._el.loading.hidden = name !== "loading";
    this._el.error.hidden = name !== "error";
    this._el.body.hidden = name !== "body";
  }

  async _load() {
    this._setState("loading");
    this._showPanel("loading");
    this._el.loadingTitle.textContent = this.tr("loading.title");
    const config = this._config();
    try {
      if (config === null) throw new WidgetError({ code: "invalid_config", message: this.tr("error.invalid_config") });
      const snap = await this._controller.start({
        workerUrl: this._workerUrl(), bundleUrl: this._bundleUrl(), pyodideUrl: this._pyodideUrl(), id: this.id, config, lang: this.lang,
      }, (stage) => { this._el.loadingStage.textContent = this.tr(`loading.stage.${stage}`); });
      if (!snap) return; // superseded by a later load or a disconnect
      this._showPanel("body");
      this._controls.hidden = false;
      this._show(snap, { event: false });
      this._setState("ready");
      if (this.mode === "paso-a-paso") this._stepper.load();
      await this._share.restoreFromLink(); // a shared link's config, refused ones kept out
      this._emit("ready", stepDetail(snap));
    } catch (e) {
      this._showError(e);
    }
  }

  // Reintentar: a widget whose worker was lost after loading gets it back with its session
  // restored; one that never loaded starts again.
  _retry() {
    if (this._controller.open) this._controller.restore("retry").catch(() => {});
    else this._load();
  }

  // The worker died: the page's client is starting a new one and restoring every session.
  _onLost() {
    this._setTrainButton(false);
    this._setState("loading");
    if (!this._el.error.hidden) {
      this._showPanel("loading");
      this._el.loadingStage.textContent = this.tr("loading.stage.restore");
    }
    this.notify(ERROR_CODES.worker_lost, this.tr("notice.worker_lost"));
  }

  async _onRestored() {
    try {
      const snap = await this._controller.fetchSnapshot();
      this._showPanel("body");
      this._show(snap, { event: false });
      this._setState("ready");
      if (this.mode === "paso-a-paso") this._stepper.load();
      this._notice(this.tr("notice.restored", { epoch: formatInteger(snap.epoch, this.lang) }));
    } catch (e) {
      this._showError(e);
    }
  }

  _errorText(err) {
    const d = err?.detail || err || {};
    const timeout = /^timeout: (\w+)/.exec(d.detail || "");
    if (timeout) return this.tr("error.load_timeout", { stage: this.tr(`loading.stage.${timeout[1]}`) });
    if (d.code === ERROR_CODES.load_failed) return d.message ? engineMessage(d, this.lang) : this.tr("error.load_failed", { url: this._bundleUrl() });
    if (d.code === ERROR_CODES.worker_lost) return this.tr("error.worker_lost");
    if (d.code === ERROR_CODES.worker_failed) return this.tr("error.worker_failed");
    if (d.code === ERROR_CODES.unsupported) return this.tr("error.unsupported");
    if (d.code === ERROR_CODES.python_error) return this.tr("error.python_error");
    return engineMessage(d, this.lang);
  }

  _showError(err) {
    this._showPanel("error");
    this._setTrainButton(false);
    this._el.errorTitle.textContent = this.tr("error.title");
    this._el.errorDetail.textContent = this._errorText(err);
    // The technical reason (e.g. which file failed), for the person who set up the page.
    const tech = err?.detail?.detail;
    this._el.errorTech.textContent = tech ? String(tech).slice(0, 300) : "";
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
  }

  // What the open views draw besides the live snapshot's basics (session.js, startTraining).
  _liveParts() {
    const parts = [];
    if (this._network.showGradients || this.mode === "paso-a-paso") parts.push("gradients");
    if (this._panels?.isOpen("gradientes")) parts.push("diagnostics", "optimizer");
    return parts;
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
    for (const [name, value] of Object.entries(snapshotAttributes(snap))) {
      if (value === null) this.removeAttribute(name);
      else this.setAttribute(name, value);
    }
    const lang = this.lang;
    this._el.epoch.textContent = formatInteger(snap.epoch, lang);
    this._el.loss.textContent = formatNumber(snap.loss, lang);
    this._el.valLoss.textContent = formatNumber(snap.val_loss, lang);
    const hasAcc = typeof snap.accuracy === "number";
    this._el.accStat.hidden = !hasAcc;
    if (hasAcc) this._el.accuracy.textContent = formatPercent(snap.accuracy, lang);
    this._el.banner.hidden = !isDiverged(snap);
    // The form follows the engine's config; a live snapshot carries the one it had.
    if (snap.config !== this._formConfig) {
      this._formConfig = snap.config;
      this._controls.update(snap);
    }
    if (event) this._emit("step", stepDetail(snap));
  }

  _redraw() {
    const snap = this._controller.snapshot;
    if (!snap || this._el.body.hidden) return;
    this._colors = hostTheme(this); // once per redraw, so a theme change shows at once
    this._chart.draw(snap);
    this._network.draw(snap);
    this._data.draw(snap);
    this._panels.draw(snap);
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
      this._setTrainButton(true);
      this._setState("training");
      try {
        await controller.startTraining();
      } catch (e) {
        this._setTrainButton(false);
        this._setState("ready");
        throw e;
      }
      return this.getState();
    }
    await this.pause();
    this._setState("training");
    try {
      this._show(await controller.train(epochs), { event: true });
      if (this.mode === "paso-a-paso") this._stepper.load();
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
    this._setTrainButton(false);
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
    if (this.mode === "paso-a-paso") this._stepper.load();
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
    return this._steps.chainRule(layer, j, i);
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
    this._stepper.load();
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
    if (this.mode === "paso-a-paso") this._stepper.load();
    return this.getState();
  }

  // A refusal that is not tied to a form field (a point the engine refused, a training slice
  // that failed): shown for a few seconds and reported as backprop:error.
  notify(code, message) {
    this._notice(message);
    this._emit("error", { code, message });
  }

  _notice(message) {
    const n = this._el.notice;
    n.textContent = message;
    n.hidden = false;
    clearTimeout(this._noticeTimer);
    this._noticeTimer = setTimeout(() => { n.hidden = true; }, NOTICE_MS);
  }

  get snapshot() {
    return this._controller.snapshot;
  }
}

export function defineBackpropWidget(name = "backprop-widget") {
  if (typeof customElements === "undefined") return;
  if (!customElements.get(name)) customElements.define(name, BackpropWidget);
}
