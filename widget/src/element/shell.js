// The element's fixed frame in its shadow root: the loading, error and body panels, the
// toolbar (buttons and statistics), the divergence banner and the passing notice. It knows no
// engine: the element says what to show, the shell shows it.

import { ERROR_CODES } from "../protocol.js";
import { engineMessage } from "../session.js";
import { formatNumber, formatInteger, formatPercent } from "../format.js";
import { isDiverged } from "../snapshot.js";
import { setText, setHidden } from "../dom-write.js";
import { buildTemplate } from "../template.js";
import { adoptStyles } from "../styles.js";

const NOTICE_MS = 6000;

export class Shell {
  // root: the empty shadow root; tr(key, params): the page's strings; actions: what the
  // buttons do ({retry, train, step, reset}).
  constructor(root, tr, actions) {
    this.tr = tr;
    adoptStyles(root);
    buildTemplate(root);
    const $ = (s) => root.querySelector(s);
    this.el = {
      loading: $(".bp-loading"), loadingTitle: $(".bp-loading-title"), loadingStage: $(".bp-loading-stage"),
      loadingBar: $(".bp-loading-bar"), loadingBytes: $(".bp-loading-bytes"),
      error: $(".bp-error"), errorTitle: $(".bp-error-title"), errorDetail: $(".bp-error .bp-detail"),
      errorTech: $(".bp-error .bp-tech"), retry: $(".bp-retry"),
      body: $(".bp-body"), train: $(".bp-train"), step: $(".bp-step"), reset: $(".bp-reset"),
      epoch: $(".bp-epoch"), loss: $(".bp-loss"), valLoss: $(".bp-val-loss"), accuracy: $(".bp-accuracy"), accStat: $(".bp-acc-stat"),
      valAccuracy: $(".bp-val-accuracy"), valAccStat: $(".bp-val-acc-stat"),
      banner: $(".bp-banner"), notice: $(".bp-notice"), stepper: $(".bp-stepper"), controls: $(".bp-controls"), views: $(".bp-views"),
    };
    for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = tr(node.dataset.i18n);
    this.label(this.el.retry, "error.retry");
    this.label(this.el.step, "button.step");
    this.label(this.el.reset, "button.reset");
    this.el.banner.textContent = tr("diverged");
    this.setTraining(false);
    for (const name of ["retry", "train", "step", "reset"]) this.el[name].addEventListener("click", actions[name]);
    this.buttons = root.querySelectorAll(".bp-buttons [data-group]");
  }

  label(button, key) {
    button.textContent = this.tr(key);
    button.setAttribute("aria-label", this.tr(`${key}.aria`));
  }

  // Entrenar or Pausar on the train button.
  setTraining(training) {
    this.label(this.el.train, training ? "button.pause" : "button.train");
    this.el.train.setAttribute("aria-pressed", training ? "true" : "false");
  }

  setBusy(busy) {
    for (const b of [this.el.train, this.el.step, this.el.reset]) b.disabled = busy;
  }

  // Only the buttons of the groups data-controls offers.
  offerButtons(groups) {
    for (const b of this.buttons) b.hidden = !groups.has(b.dataset.group);
  }

  // "loading", "error" or "body".
  showPanel(name) {
    this.el.loading.hidden = name !== "loading";
    this.el.error.hidden = name !== "error";
    this.el.body.hidden = name !== "body";
  }

  get bodyShown() {
    return !this.el.body.hidden;
  }

  get errorShown() {
    return !this.el.error.hidden;
  }

  showLoadingTitle() {
    this.el.loadingTitle.textContent = this.tr("loading.title");
  }

  // The loading stage, and the bar of bytes downloaded (bytes: {loaded, total} from the worker,
  // or null before the first download). The bar's label says it; the visible line repeats it
  // outside the live region, which announces only the stages.
  showStage(stage, bytes = null, lang = "es") {
    this.el.loadingStage.textContent = this.tr(`loading.stage.${stage}`);
    const { loadingBar: bar, loadingBytes: line } = this.el;
    bar.hidden = line.hidden = !(bytes?.total > 0);
    if (bar.hidden) return;
    const mb = (n) => formatNumber(n / 1e6, lang, n >= 1e7 ? 3 : 2);
    const text = this.tr("loading.bytes", { loaded: mb(bytes.loaded), total: mb(bytes.total) });
    bar.max = bytes.total;
    bar.value = Math.min(bytes.loaded, bytes.total);
    bar.setAttribute("aria-label", text);
    line.textContent = text;
  }

  // The error panel: what went wrong for the reader, and the technical reason (e.g. which
  // file failed) for the person who set up the page.
  showError(message, tech) {
    this.showPanel("error");
    this.setTraining(false);
    this.el.errorTitle.textContent = this.tr("error.title");
    this.el.errorDetail.textContent = message;
    this.el.errorTech.textContent = tech ? String(tech).slice(0, 300) : "";
  }

  // The toolbar's statistics and the divergence banner of a snapshot.
  showStats(snap, lang) {
    setText(this.el.epoch, formatInteger(snap.epoch, lang));
    setText(this.el.loss, formatNumber(snap.loss, lang));
    setText(this.el.valLoss, formatNumber(snap.val_loss, lang));
    const hasAcc = typeof snap.accuracy === "number";
    setHidden(this.el.accStat, !hasAcc);
    if (hasAcc) setText(this.el.accuracy, formatPercent(snap.accuracy, lang));
    const hasVal = typeof snap.val_accuracy === "number";
    setHidden(this.el.valAccStat, !hasVal);
    if (hasVal) setText(this.el.valAccuracy, formatPercent(snap.val_accuracy, lang));
    setHidden(this.el.banner, !isDiverged(snap));
  }

  // A message shown for a few seconds.
  notice(message) {
    const n = this.el.notice;
    n.textContent = message;
    n.hidden = false;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => { n.hidden = true; }, NOTICE_MS);
  }
}

// What a fault says to the reader, in the page's language (bundle: the bundle's URL, named
// when it could not be loaded).
export function errorText(err, tr, lang, bundle) {
  const d = err?.detail || err || {};
  const timeout = /^timeout: (\w+)/.exec(d.detail || "");
  if (timeout) return tr("error.load_timeout", { stage: tr(`loading.stage.${timeout[1]}`) });
  if (d.code === ERROR_CODES.load_failed) return d.message ? engineMessage(d, lang) : tr("error.load_failed", { url: bundle });
  if (d.code === ERROR_CODES.worker_lost) return tr("error.worker_lost");
  if (d.code === ERROR_CODES.worker_failed) return tr("error.worker_failed");
  if (d.code === ERROR_CODES.unsupported) return tr("error.unsupported");
  if (d.code === ERROR_CODES.python_error) return tr("error.python_error");
  return engineMessage(d, lang);
}
