// The session controller: one engine session in the page's shared worker. It loads, sends the
// calls, keeps the training state, the data cache and the newest snapshot, and merges the
// partial snapshots the engine sends into complete ones. No DOM: the element draws what it
// hands over and is told through the listener when something arrives.

import { getClient, WidgetError, ERROR_CODES } from "./protocol.js";
import { t } from "./i18n.js";
import { isDiverged, mergeLive } from "./snapshot.js";
import { fetchFirstView, sameNumbers } from "./first-view.js";
import { reducedMotion } from "./frames.js";

// Resolution of the decision-boundary grid the engine computes for every snapshot we draw
// (the engine's `grid` argument is the side of the square grid).
export const GRID_RESOLUTION = 40;
// While training, every map at a coarser grid, full resolution again on pause: the output map
// at 27, the hidden neurons' thumbnails at 14 (every other line of the same forward pass,
// python/backprop/live.py), about half the live snapshot's forward pass at 40.
export const LIVE_GRID = 27;
export const LIVE_HIDDEN_GRID = 14;
// train(n) is sliced into calls of about this much worker time; the first call is a probe.
const TRAIN_CALL_MS = 250;
const FIRST_TRAIN_CALL = 8;
let sessionCounter = 0;

// A call whose failure the caller reads later (or never): not an unhandled rejection meanwhile.
function quietly(promise) {
  promise.catch(() => {});
  return promise;
}

// The engine's message in the reader's language (Spanish unless lang is "en").
export function engineMessage(detail, lang) {
  if (lang === "en" && detail?.message_en) return detail.message_en;
  return detail?.message || t(lang, "error.bad_input");
}

// Ask for the shipped first view and start the page's worker early (boot.js, and the element
// before it builds its DOM); start() gets the same request (first-view.js keeps it per file)
// and the same client.
export function prefetchEngine({ workerUrl, bundleUrl, pyodideUrl = "" }, config, lang) {
  if (config) fetchFirstView(bundleUrl, config, lang || "es", GRID_RESOLUTION);
  getClient(workerUrl, bundleUrl, undefined, pyodideUrl);
}

export class SessionController {
  // listener: {pending(), stopped(), fatal(WidgetError), refused(error), lost(WidgetError),
  // restored()}: a snapshot waits to be drawn, the worker stopped training by itself, the worker
  // failed for good, a training slice was refused, the worker was lost and a new one is being
  // started, the session is back from its last saved state (fetch a snapshot to draw it).
  constructor(listener) {
    this.listener = listener;
    this.lang = "es";
    this.client = null;
    this.session = null;
    this.snapshot = null; // the complete snapshot handed out last (the one drawn)
    this.latest = null; // the newest complete snapshot, the next live one's base
    this.pending = []; // live snapshots not yet handed out, oldest first, merged as they came
    this.training = false;
    this.dataCache = null;
    this.token = 0;
    this.trainRun = 0;
    // The shipped first view (first-view.js) answers the first calls until the engine runs;
    // calls it cannot answer wait for `engineUp`.
    this.firstView = null;
    this.engineUp = null;
    this.keptFirstStep = false; // the engine took over a first step replayed before it ran
  }

  get open() {
    return this.session !== null;
  }

  // Start the worker (or reuse the page's), create the session and return its first complete
  // snapshot; null when close() or another start() came first. Rejects with a WidgetError.
  // onFirstView(snapshot): the shipped first view arrived before the engine (draw it).
  async start(options, onProgress = () => {}, onFirstView = null) {
    const token = ++this.token;
    this.training = false;
    this.lang = options.lang || "es";
    this.firstView = null;
    this.keptFirstStep = false;
    let up;
    this.engineUp = new Promise((resolve, reject) => { up = { resolve, reject }; });
    this.engineUp.catch(() => {});
    try {
      const snap = await this._start(token, options, onProgress, onFirstView);
      up.resolve();
      return snap;
    } catch (e) {
      up.reject(e);
      if (token === this.token) throw e;
      return null;
    }
  }

  async _start(token, { workerUrl, bundleUrl, pyodideUrl = "", id = "", config = {} }, onProgress, onFirstView) {
    let loading = true;
    const client = getClient(workerUrl, bundleUrl, undefined, pyodideUrl);
    this.client = client;
    const session = `${id || "backprop"}#${++sessionCounter}`;
    let saved = null;
    if (onFirstView) {
      fetchFirstView(bundleUrl, config, this.lang, GRID_RESOLUTION).then((view) => {
        if (!view || !loading || token !== this.token) return;
        this.firstView = view;
        // The engine's state before the first step, for the take-over: queued behind create.
        saved = quietly(client.call(session, "save", {}));
        onFirstView(this._replace(view.answer("snapshot", { grid: GRID_RESOLUTION })));
      });
    }
    // create, whose reply is the snapshot to draw (with every neuron's grid), is sent with the
    // load: the worker runs it as soon as the engine is imported, with no round trip through the
    // page (which may be drawing the first view) in between. The engine names classes, features
    // and data sets in the page's language.
    const created = quietly(client.call(session, "create", { config: { ...config, lang: this.lang }, grid: GRID_RESOLUTION }));
    const stopProgress = client.onProgress((stage, bytes) => token === this.token && onProgress(stage, bytes));
    try {
      await client.ready;
    } finally {
      stopProgress();
      loading = false;
    }
    if (token !== this.token) {
      created.then(() => client.call(session, "destroy", {})).catch(() => {});
      return null;
    }
    onProgress("session");
    const first = await created;
    const moved = await this._takeOver(client, session, saved);
    if (token !== this.token) {
      client.call(session, "destroy", {}).catch(() => {});
      return null;
    }
    this.session = session;
    client.subscribe(session, (msg) => this._onWorkerMessage(msg));
    // create sent the data; later snapshots carry it only when data_version changes.
    this._noteData(first);
    // create's snapshot shows the engine's state unless the take-over moved it.
    return moved ? this.fetchSnapshot() : this._replace(first);
  }

  // The engine takes over from the first view where the reader is: it saves its state before the
  // first step, takes the same step if it was replayed (keptFirstStep: the same numbers) and ends
  // at the position the replay is at. Calls answered meanwhile may move it, hence the loop.
  // `saved`: the save sent with create. True when the engine's state moved from create's.
  async _takeOver(client, session, saved) {
    const view = this.firstView;
    if (!view) return false;
    const call = (cmd, args) => client.call(session, cmd, args);
    view.real.before = (await (saved || call("save", {}))).state;
    let at = "before";
    let moved = false;
    for (;;) {
      if (view.traced && !view.real.after) {
        const reply = await call("trace", { indices: view.indices });
        this.keptFirstStep = sameNumbers(reply.trace, view.trace);
        view.real.after = (await call("save", {})).state;
        at = "after";
        moved = true;
      }
      // A step not kept is forgotten (the element reloads the stepper): back to the start.
      const want = view.traced && !this.keptFirstStep ? "before" : view.position;
      if (at === want) return moved;
      at = want;
      moved = true;
      await call("load", { state: view.real[at] });
    }
  }

  // Free the engine session; a later start() begins a new one.
  close() {
    const { client, session } = this;
    this.session = null;
    this.firstView = null;
    this.training = false;
    this.token++;
    if (client && session && !client.failed) {
      client.unsubscribe(session);
      client.call(session, "destroy", {}).catch(() => {});
    }
  }

  // Restart the page's worker and restore every session (Reintentar after a lost worker).
  restore(reason = "retry") {
    return this.client.restart(reason);
  }

  // One engine command; a refusal rejects with an Error whose message is the engine's in the
  // reader's language, with code and field set.
  async call(cmd, args = {}) {
    try {
      if (!this.session && this.firstView) {
        const early = this.firstView.answer(cmd, args);
        if (early !== undefined) return early;
        await this.engineUp;
      }
      // A state the first view handed out is the engine's own state by now.
      if (cmd === "load" && this.firstView) args = { ...args, state: this.firstView.engineState(args.state) };
      const result = await this.client.call(this.session, cmd, args);
      this._noteData(result);
      return result;
    } catch (e) {
      const err = e instanceof WidgetError ? e : new WidgetError({ code: ERROR_CODES.python_error, message: String(e) });
      const error = new Error(engineMessage(err.detail || err, this.lang));
      error.code = err.code;
      error.field = err.field;
      throw error;
    }
  }

  // A fresh snapshot from the engine, merged; anything still pending is older and dropped.
  async fetchSnapshot() {
    return this._replace(await this.call("snapshot", { grid: GRID_RESOLUTION }));
  }

  // train(n) runs as calls of about TRAIN_CALL_MS of worker time each: a busy worker answers
  // nothing (no stop, no set_config, no liveness check), so no single call may run long, and
  // cancelTrain() between two calls drops the rest. Resolves with the state after the last one.
  async train(epochs) {
    let left = Math.max(1, Math.round(Number(epochs)));
    const run = ++this.trainRun;
    let size = Math.min(left, FIRST_TRAIN_CALL);
    for (;;) {
      const n = Math.min(size, left);
      if (n === left) return this._replace(await this.call("train", { epochs: n, grid: GRID_RESOLUTION }));
      const t0 = performance.now();
      const reply = await this.call("train", { epochs: n, snapshot: "none" });
      left -= n;
      if (reply.status === "diverged" || run !== this.trainRun) return this.fetchSnapshot();
      size = Math.max(1, Math.round((n * TRAIN_CALL_MS) / Math.max(performance.now() - t0, 1)));
    }
  }

  // Stops a train(n) between two of its calls (pause, reset and setConfig come through here).
  cancelTrain() {
    this.trainRun++;
  }

  // Continuous training: the worker posts live snapshots (see _onWorkerMessage) until stop(),
  // with the parts the open views draw (listener.liveParts(): "gradients", "diagnostics",
  // "optimizer"). Called again while training, it changes those parts.
  async startTraining() {
    this.training = true;
    const parts = this.listener.liveParts ? this.listener.liveParts() : [];
    try {
      await this.call("start_training", { grid: LIVE_GRID, live: { hidden_grid: LIVE_HIDDEN_GRID, parts } });
    } catch (e) {
      this.training = false;
      throw e;
    }
  }

  // Resolves once the worker has stopped, with a full snapshot (every grid at full resolution,
  // gradients, diagnostics) to draw at once; live snapshots still pending are older.
  async stopTraining() {
    this.training = false;
    await this.call("stop_training", {});
    this._dropPending();
    return this.fetchSnapshot();
  }

  // The live snapshot to draw in this animation frame, or null. While training, the older of
  // two: the newer stays for the next frame, which thus has one even when the worker is held
  // up for most of a frame (docs/performance.md); one frame later than it could be, which
  // nobody sees. Otherwise (the worker stopped by itself, reduced motion) the newest. Each
  // snapshot taken or passed over is acknowledged: the worker may send as many more.
  takePending() {
    if (this.pending.length === 0) return null;
    const keep = this.training && !reducedMotion() ? 1 : 0;
    const taken = this.pending.splice(0, Math.max(1, this.pending.length - keep));
    this.client.acknowledge(this.session, taken.length);
    this.snapshot = taken[taken.length - 1];
    return this.snapshot;
  }

  // Whether a live snapshot waits for the next frame.
  get hasPending() {
    return this.pending.length > 0;
  }

  // Live snapshots overtaken by a full one are dropped, and acknowledged (outside a frame).
  _dropPending() {
    if (this.pending.length && this.client) this.client.acknowledge(this.session, this.pending.length, false);
    this.pending = [];
  }

  // The one place where partial snapshots become complete: a snapshot may leave out the data
  // (unchanged data_version) or the grid, keep the last ones; a live one is completed from the
  // previous snapshot (snapshot.js, mergeLive).
  merge(received) {
    const prev = this.latest;
    const snap = received.live ? mergeLive(received, prev) : received;
    this._noteData(snap);
    if (!snap.data && this.dataCache?.version === snap.data_version) snap.data = this.dataCache.data;
    if (!snap.grid && prev?.grid && !isDiverged(snap)) snap.grid = prev.grid;
    this.latest = snap;
    return snap;
  }

  // A complete snapshot handed out at once: live ones still pending are older.
  _replace(snap) {
    this._dropPending();
    this.snapshot = this.merge(snap);
    return this.snapshot;
  }

  // The engine sends the data set only when its data_version changes (in whichever reply that
  // is: create, set_config, add_point, ...): remember it for the snapshots that follow.
  _noteData(result) {
    for (const r of [result, result?.snapshot]) {
      if (r && r.data && r.data_version !== undefined) this.dataCache = { version: r.data_version, data: r.data };
    }
  }

  _onWorkerMessage(msg) {
    if (msg.lost || msg.restored) {
      this.training = false;
      this.pending = []; // the worker that sent them is gone
      if (msg.restored) this._noteData(msg.result);
      if (msg.lost) this.listener.lost(new WidgetError(msg.error));
      else this.listener.restored();
      return;
    }
    if (msg.fatal) {
      this.training = false;
      this.listener.fatal(new WidgetError(msg.error));
      return;
    }
    if (msg.snapshot) {
      // Merged now, not when drawn: a frame may pass one over, but every history delta counts.
      this.pending.push(this.merge(msg.snapshot));
      this.listener.pending();
    }
    if (msg.training === false && this.training) {
      this.training = false;
      this.listener.stopped();
    }
    if (msg.error && !msg.snapshot) this.listener.refused(msg.error);
  }
}
