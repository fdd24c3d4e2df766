// <backprop-widget>: one engine session in the page's shared worker, drawn on canvases.
// The element owns state and wiring; each view module owns its own drawing.

import { getClient, WidgetError, ERROR_CODES } from "./protocol.js";
import { t, normalizeLang } from "./i18n.js";
import { formatNumber, formatInteger, formatPercent } from "./format.js";
import { snapshotAttributes, stepDetail, isDiverged, publicState, historySeries } from "./snapshot.js";
import { STYLES } from "./styles.js";
import { drawLossChart, LOSS_COLORS, nearestEpochIndex } from "./views/loss-chart.js";
import { NetworkView } from "./views/network.js";
import { DataView } from "./views/data-view.js";
import { Controls, parseControls } from "./controls.js";
import { Stepper } from "./stepper.js";

const MODES = ["explorar", "paso-a-paso", "entrenar"];
// Resolution of the decision-boundary grid the engine computes for every snapshot we draw.
export const GRID_RESOLUTION = 40;
let sessionCounter = 0;

function reducedMotion() {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}

export class BackpropWidget extends HTMLElement {
  constructor() {
    super();
    this._state = null;
    this._snapshot = null;
    this._pending = null;
    this._frame = 0;
    this._lastDraw = 0;
    this._training = false;
    this._client = null;
    this._session = null;
    this._built = false;
    this._loadToken = 0;
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
    if (name !== "data-config" || oldValue === newValue || !this._session || this._state === "loading") return;
    const config = this._config();
    if (config) this.setConfig(config).catch((e) => this.notify(e.code, e.message));
  }

  connectedCallback() {
    if (!this._built) this._build();
    if (!this._session) this._load();
  }

  disconnectedCallback() {
    // Free the engine session; a re-inserted element starts a new one.
    const client = this._client;
    const session = this._session;
    this._session = null;
    this._loadToken++;
    if (client && session && !client.failed) {
      client.unsubscribe(session);
      client.call(session, "destroy", {}).catch(() => {});
    }
    if (this._resizeObserver) this._resizeObserver.disconnect();
  }

  // ------------------------------------------------------------------ DOM

  _build() {
    this._built = true;
    const root = this.attachShadow({ mode: "open" });
    const height = this.getAttribute("data-height");
    if (height && CSS.supports("height", height)) this.style.setProperty("--bp-view-height", height);
    root.innerHTML = `<style>${STYLES}</style>
      <div class="bp-root" part="root">
        <div class="bp-panel bp-loading" role="status" aria-live="polite">
          <div class="bp-spinner" aria-hidden="true"></div>
          <div><div class="bp-loading-title"></div><div class="bp-loading-stage"></div></div>
        </div>
        <div class="bp-panel bp-error" role="alert" hidden>
          <p class="bp-error-title"></p><p class="bp-detail"></p><p class="bp-detail bp-tech"></p>
          <button type="button" class="bp-retry bp-primary"></button>
        </div>
        <div class="bp-body" hidden>
          <div class="bp-bar">
            <div class="bp-buttons">
              <button type="button" class="bp-train bp-primary" data-group="train"></button>
              <button type="button" class="bp-step" data-group="step"></button>
              <button type="button" class="bp-reset" data-group="reset"></button>
            </div>
            <dl class="bp-stats" aria-live="off">
              <div class="bp-stat"><dt data-i18n="stat.epoch"></dt><dd class="bp-epoch">0</dd></div>
              <div class="bp-stat"><dt data-i18n="stat.loss"></dt><dd class="bp-loss"></dd></div>
              <div class="bp-stat"><dt data-i18n="stat.val_loss"></dt><dd class="bp-val-loss"></dd></div>
              <div class="bp-stat bp-acc-stat"><dt data-i18n="stat.accuracy"></dt><dd class="bp-accuracy"></dd></div>
            </dl>
          </div>
          <div class="bp-panel bp-banner" role="alert" hidden></div>
          <div class="bp-notice" role="status" aria-live="polite" hidden></div>
          <div class="bp-views">
            <figure class="bp-view bp-network" data-group="network-view">
              <figcaption data-i18n="network.title"></figcaption>
              <canvas tabindex="0" role="img"></canvas>
              <div class="bp-legend"></div>
              <div class="bp-tip" aria-live="polite"></div>
            </figure>
            <figure class="bp-view bp-data" data-group="data-view">
              <figcaption data-i18n="data.title"></figcaption>
              <canvas role="img"></canvas>
              <div class="bp-legend bp-data-legend"></div>
            </figure>
            <figure class="bp-view bp-chart">
              <figcaption data-i18n="chart.title"></figcaption>
              <canvas role="img"></canvas>
              <div class="bp-legend">
                <span><span class="bp-swatch" style="background:${LOSS_COLORS.train}"></span><span data-i18n="chart.train"></span></span>
                <span><span class="bp-swatch" style="background:repeating-linear-gradient(90deg,${LOSS_COLORS.val} 0 5px,transparent 5px 8px)"></span><span data-i18n="chart.val"></span></span>
              </div>
              <div class="bp-tip bp-chart-tip" aria-live="polite"></div>
            </figure>
          </div>
          <section class="bp-panel bp-stepper" hidden></section>
          <form class="bp-controls" hidden novalidate></form>
        </div>
      </div>`;
    const $ = (s) => root.querySelector(s);
    this._el = {
      loading: $(".bp-loading"), loadingTitle: $(".bp-loading-title"), loadingStage: $(".bp-loading-stage"),
      error: $(".bp-error"), errorTitle: $(".bp-error-title"), errorDetail: $(".bp-error .bp-detail"), retry: $(".bp-retry"),
      body: $(".bp-body"), train: $(".bp-train"), step: $(".bp-step"), reset: $(".bp-reset"),
      epoch: $(".bp-epoch"), loss: $(".bp-loss"), valLoss: $(".bp-val-loss"), accuracy: $(".bp-accuracy"), accStat: $(".bp-acc-stat"),
      banner: $(".bp-banner"), notice: $(".bp-notice"), chart: $(".bp-chart canvas"), chartFig: $(".bp-chart"),
      stepper: $(".bp-stepper"), controls: $(".bp-controls"),
    };
    for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = this.tr(node.dataset.i18n);
    this._el.chart.setAttribute("aria-label", this.tr("chart.aria"));
    // Hover or tap the chart to read the numbers of one epoch (no hover-only information).
    const readChart = (ev) => {
      if (!this._chartScales || !this._snapshot) return;
      const r = this._el.chart.getBoundingClientRect();
      const series = historySeries(this._snapshot.history);
      const i = nearestEpochIndex(series, this._chartScales, ev.clientX - r.left);
      if (i < 0) return;
      root.querySelector(".bp-chart-tip").textContent = this.tr("chart.tip", {
        epoch: formatInteger(series.epoch[i], this.lang),
        loss: formatNumber(series.loss[i], this.lang),
        val: formatNumber(series.val_loss[i], this.lang),
      });
    };
    this._el.chart.addEventListener("pointermove", readChart);
    this._el.chart.addEventListener("click", readChart);
    this._el.retry.textContent = this.tr("error.retry");
    this._el.retry.setAttribute("aria-label", this.tr("error.retry.aria"));
    this._el.step.textContent = this.tr("button.step");
    this._el.step.setAttribute("aria-label", this.tr("button.step.aria"));
    this._el.reset.textContent = this.tr("button.reset");
    this._el.reset.setAttribute("aria-label", this.tr("button.reset.aria"));
    this._el.banner.textContent = this.tr("diverged");
    this._setTrainButton(false);

    this._el.retry.addEventListener("click", () => this._load());
    this._el.train.addEventListener("click", () => (this._training ? this.pause() : this.train()).catch(() => {}));
    this._el.step.addEventListener("click", () => this.train(1).catch(() => {}));
    this._el.reset.addEventListener("click", () => this.reset().catch(() => {}));

    this._groups = parseControls(this.getAttribute("data-controls"));
    for (const b of root.querySelectorAll(".bp-buttons [data-group]")) b.hidden = !this._groups.has(b.dataset.group);

    this._network = new NetworkView(root.querySelector(".bp-network"), this);
    this._data = new DataView(root.querySelector(".bp-data"), this);
    this._controlsView = new Controls(this._el.controls, this, this._groups);
    this._stepper = new Stepper(this._el.stepper, this);
    this._el.stepper.hidden = this.mode !== "paso-a-paso";

    if (typeof ResizeObserver === "function") {
      this._resizeObserver = new ResizeObserver(() => this._redraw());
      this._resizeObserver.observe(this._el.body);
    }
  }

  _setTrainButton(training) {
    const b = this._el.train;
    b.textContent = this.tr(training ? "button.pause" : "button.train");
    b.setAttribute("aria-label", this.tr(training ? "button.pause.aria" : "button.train.aria"));
    b.setAttribute("aria-pressed", training ? "true" : "false");
  }

  _setState(state) {
    this._state = state;
    this.setAttribute("data-state", state);
    const busy = state !== "ready" && state !== "training";
    for (const b of [this._el.step, this._el.reset]) b.disabled = busy;
    this._el.train.disabled = busy;
  }

  // ------------------------------------------------------------------ loading

  _config() {
    const raw = this.getAttribute("data-config");
    if (!raw) return {};
    try {
      const c = JSON.parse(raw);
      return c && typeof c === "object" ? c : {};
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

  async _load() {
    const token = ++this._loadToken;
    this._setState("loading");
    this._el.error.hidden = true;
    this._el.body.hidden = true;
    this._el.loading.hidden = false;
    this._el.loadingTitle.textContent = this.tr("loading.title");
    const config = this._config();
    try {
      if (config === null) throw new WidgetError({ code: "invalid_config", message: "data-config no es JSON válido.", message_en: "data-config is not valid JSON." });
      const client = getClient(this._workerUrl(), this._bundleUrl(), undefined, this._pyodideUrl());
      this._client = client;
      const stopProgress = client.onProgress((stage) => {
        if (token === this._loadToken) this._el.loadingStage.textContent = this.tr(`loading.stage.${stage}`);
      });
      try {
        await client.ready;
      } finally {
        stopProgress();
      }
      if (token !== this._loadToken) return;
      this._el.loadingStage.textContent = this.tr("loading.stage.session");
      const session = `${this.id || "backprop"}#${++sessionCounter}`;
      const first = await client.call(session, "create", { config });
      if (token !== this._loadToken) {
        client.call(session, "destroy", {}).catch(() => {});
        return;
      }
      this._session = session;
      client.subscribe(session, (msg) => this._onWorkerMessage(msg));
      const snap = await client.call(session, "snapshot", { grid: this._gridArgs() });
      // create sent the data; later snapshots carry it only when data_version changes.
      this._noteData(first);
      this._el.loading.hidden = true;
      this._el.body.hidden = false;
      this._controlsView.hidden = false;
      this._applySnapshot(snap, { event: false });
      this._setState("ready");
      if (this.mode === "paso-a-paso") this._stepper.load();
      this.dispatchEvent(new CustomEvent("backprop:ready", { bubbles: true, composed: true, detail: stepDetail(snap) }));
    } catch (e) {
      if (token === this._loadToken) this._showError(e);
    }
  }

  _errorText(err) {
    const d = err?.detail || err || {};
    if (d.code === ERROR_CODES.load_failed) return this.tr("error.load_failed", { url: this._bundleUrl() });
    if (d.code === ERROR_CODES.worker_failed) return this.tr("error.worker_failed");
    if (d.code === ERROR_CODES.unsupported) return this.tr("error.unsupported");
    if (d.code === ERROR_CODES.python_error) return this.tr("error.python_error");
    return this._engineMessage(d);
  }

  // The engine's message in the reader's language (Spanish unless data-lang="en").
  _engineMessage(d) {
    if (this.lang === "en" && d?.message_en) return d.message_en;
    return d?.message || this.tr("error.bad_input");
  }

  _showError(err) {
    this._training = false;
    this._el.loading.hidden = true;
    this._el.body.hidden = true;
    this._el.error.hidden = false;
    this._el.errorTitle.textContent = this.tr("error.title");
    this._el.errorDetail.textContent = this._errorText(err);
    // The technical reason (e.g. which file failed), for the person who set up the page.
    const tech = err?.detail?.detail;
    this._el.error.querySelector(".bp-tech").textContent = tech ? String(tech).slice(0, 300) : "";
    this._setState("error");
    const d = err?.detail || {};
    this.dispatchEvent(new CustomEvent("backprop:error", {
      bubbles: true, composed: true,
      detail: { code: d.code || err?.code || "error", message: this._errorText(err) },
    }));
  }

  // The engine's `grid` argument is the resolution of the square grid.
  _gridArgs() {
    return GRID_RESOLUTION;
  }

  // ------------------------------------------------------------------ snapshots

  _onWorkerMessage(msg) {
    if (msg.fatal) {
      this._showError(new WidgetError(msg.error));
      return;
    }
    if (msg.snapshot) {
      this._pending = msg.snapshot;
      this._scheduleFrame();
    }
    if (msg.training === false && this._training) {
      this._training = false;
      this._setTrainButton(false);
      this._setState("ready");
    }
    if (msg.error && !msg.snapshot) this.notify(msg.error.code, this._engineMessage(msg.error));
  }

  _flushPending() {
    const snap = this._pending;
    this._pending = null;
    if (snap) this._applySnapshot(snap, { event: true });
  }

  _scheduleFrame() {
    if (this._frame) return;
    // Reduced motion: no per-frame animation, at most two redraws a second.
    const delay = reducedMotion() ? Math.max(0, 500 - (performance.now() - this._lastDraw)) : 0;
    const run = () => {
      this._frame = requestAnimationFrame(() => {
        this._frame = 0;
        this._flushPending();
      });
    };
    if (delay > 0) {
      this._frame = -1;
      setTimeout(() => {
        this._frame = 0;
        run();
      }, delay);
    } else run();
  }

  _applySnapshot(snap, { event }) {
    // Snapshots may leave out the data (unchanged data_version) or the grid: keep the last ones.
    const prev = this._snapshot;
    this._noteData(snap);
    if (!snap.data && this._dataCache?.version === snap.data_version) snap.data = this._dataCache.data;
    if (!snap.grid && prev?.grid && !isDiverged(snap)) snap.grid = prev.grid;
    this._snapshot = snap;
    this._lastDraw = performance.now();
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
    this._redraw();
    this._controlsView.update(snap);
    if (event) {
      this.dispatchEvent(new CustomEvent("backprop:step", { bubbles: true, composed: true, detail: stepDetail(snap) }));
    }
  }

  _redraw() {
    const snap = this._snapshot;
    if (!snap || this._el.body.hidden) return;
    this._chartScales = drawLossChart(this._el.chart, snap.history, this.lang, {}, this._logChart, this.tr("chart.empty"));
    this._network.draw(snap, this._stepper.highlight());
    this._data.draw(snap);
  }

  // ------------------------------------------------------------------ public API

  _requireReady() {
    if (!this._session || this._state === "loading" || this._state === "error") {
      return Promise.reject(new Error(this.tr("loading.title")));
    }
    return null;
  }

  // The engine sends the data set only when its data_version changes (in whichever reply that
  // is: create, set_config, add_point, ...): remember it for the snapshots that follow.
  _noteData(result) {
    for (const r of [result, result?.snapshot]) {
      if (r && r.data && r.data_version !== undefined) this._dataCache = { version: r.data_version, data: r.data };
    }
  }

  async _call(cmd, args = {}) {
    try {
      const result = await this._client.call(this._session, cmd, args);
      this._noteData(result);
      return result;
    } catch (e) {
      const err = e instanceof WidgetError ? e : new WidgetError({ code: ERROR_CODES.python_error, message: String(e) });
      const error = new Error(this._engineMessage(err.detail || err));
      error.code = err.code;
      error.field = err.field;
      throw error;
    }
  }

  // train(epochs): train that many epochs and resolve with the new state;
  // train(): start continuous training (resolves once started).
  async train(epochs) {
    const notReady = this._requireReady();
    if (notReady) return notReady;
    if (epochs === undefined || epochs === null) {
      if (this._training) return this.getState();
      this._training = true;
      this._setTrainButton(true);
      this._setState("training");
      try {
        await this._call("start_training", { grid: this._gridArgs() });
      } catch (e) {
        this._training = false;
        this._setTrainButton(false);
        this._setState("ready");
        throw e;
      }
      return this.getState();
    }
    await this.pause();
    this._setState("training");
    try {
      const snap = await this._call("train", { epochs: Math.max(1, Math.round(Number(epochs))), grid: this._gridArgs() });
      this._pending = null;
      this._applySnapshot(snap, { event: true });
      if (this.mode === "paso-a-paso") this._stepper.load();
    } finally {
      // Entrenar may have been pressed meanwhile: then continuous training owns the state.
      this._setState(this._training ? "training" : "ready");
    }
    return this.getState();
  }

  async pause() {
    const notReady = this._requireReady();
    if (notReady) return notReady;
    if (!this._training) return this.getState();
    this._training = false;
    this._setTrainButton(false);
    await this._call("stop_training", {});
    // Every snapshot posted before the stop has arrived by now: draw the newest at once so the
    // reflected epoch no longer moves once pause() resolves.
    this._flushPending();
    this._setState("ready");
    return this.getState();
  }

  async reset() {
    const notReady = this._requireReady();
    if (notReady) return notReady;
    await this.pause();
    await this._call("reset", {});
    await this.refresh();
    if (this.mode === "paso-a-paso") this._stepper.load();
    return this.getState();
  }

  // Ask the engine for a fresh snapshot and draw it.
  async refresh() {
    const snap = await this._call("snapshot", { grid: this._gridArgs() });
    this._pending = null;
    this._applySnapshot(snap, { event: false });
    return snap;
  }

  getState() {
    return publicState(this._state, this._snapshot, { training: this._training, mode: this.mode, lang: this.lang });
  }

  // setConfig(partial): the engine validates; a refused value rejects with its (Spanish)
  // message and the network keeps its state.
  async setConfig(partial) {
    const notReady = this._requireReady();
    if (notReady) return notReady;
    await this._call("set_config", { partial });
    await this.refresh();
    if (this.mode === "paso-a-paso") this._stepper.load();
    return this.getState();
  }

  // A refusal that is not tied to a form field (a point the engine refused, a training slice
  // that failed): shown for a few seconds and reported as backprop:error.
  notify(code, message) {
    const n = this._el.notice;
    n.textContent = message;
    n.hidden = false;
    clearTimeout(this._noticeTimer);
    this._noticeTimer = setTimeout(() => { n.hidden = true; }, 6000);
    this.dispatchEvent(new CustomEvent("backprop:error", { bubbles: true, composed: true, detail: { code, message } }));
  }

  setLogChart(on) {
    this._logChart = !!on;
    this._redraw();
  }

  // Used by the views.
  call(cmd, args) {
    return this._call(cmd, args);
  }

  get snapshot() {
    return this._snapshot;
  }
}

export function defineBackpropWidget(name = "backprop-widget") {
  if (typeof customElements === "undefined") return;
  if (!customElements.get(name)) customElements.define(name, BackpropWidget);
}
