// The page-wide worker client: one Web Worker shared by every widget of the page, its loading
// deadlines, heartbeat, saves and restart. The messages it exchanges are envelope.js's.

import {
  ERROR_CODES, WidgetError, attachBuffer, isProgress, isReply, isSnapshotMessage, makeRequest,
} from "./envelope.js";

// Under Trusted Types a Worker takes a TrustedScriptURL: one policy, "backprop-widget" (the
// name an author's trusted-types directive must allow), that passes only the URL this module
// is about to start (data-worker-url), nothing a caller could slip in later.
let ttPolicy = null;
let ttAllowed = null;
function trustedScriptUrl(url) {
  const tt = globalThis.trustedTypes;
  if (!tt || typeof tt.createPolicy !== "function") return url;
  ttPolicy ||= tt.createPolicy("backprop-widget", {
    createScriptURL: (u) => {
      if (u !== ttAllowed) throw new TypeError(`not the widget's worker: ${u}`);
      return u;
    },
  });
  ttAllowed = url;
  try {
    return ttPolicy.createScriptURL(url);
  } finally {
    ttAllowed = null;
  }
}

// Deadlines of the loading stages (ms, from the stage's start; the worker reports each stage).
// Generous for slow networks and loaded machines (WebKit took 200 s in all on a busy 2-core
// test machine): the known faults (a missing file, a CSP that blocks WebAssembly
// or fetch) are reported by the worker at once; these only catch what hangs silently.
export const LOAD_DEADLINES = { start: 60000, pyodide: 300000, packages: 300000, engine: 120000 };
// Liveness once loaded: while a call is pending or a session trains, the client pings the
// worker every pingMs; no message for deadMs means the worker is gone (terminated by the
// browser, crashed, out of memory, or stuck in a runaway loop). Each session is saved through
// the engine's `save` settleMs after a change and every saveMs while it trains.
export const LIVENESS = { tickMs: 500, pingMs: 1000, deadMs: 6000, settleMs: 300, saveMs: 2000, autoRestartMs: 60000 };
// Commands that change nothing worth saving.
const READ_ONLY = new Set(["snapshot", "save", "gradient_check", "landscape", "chain_rule", "autograd", "init", "start_training"]);
// Timers never keep a Node process (the unit tests) alive.
const unref = (timer) => timer && typeof timer.unref === "function" && timer.unref();
const now = () => (globalThis.performance ? performance.now() : Date.now());

// One worker for the whole page, shared by every widget; each widget is one session.
// Lifecycle: loading (stage deadlines) → live (heartbeat, saves) → lost → restart() → live, or
// failed (every call rejects at once until restart()).
export class WorkerClient {
  constructor(workerUrl, bundleUrl, WorkerCtor = globalThis.Worker, pyodideUrl = "") {
    this.workerUrl = workerUrl;
    this.bundleUrl = bundleUrl;
    this.pyodideUrl = pyodideUrl;
    this.WorkerCtor = WorkerCtor;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Map(); // session -> fn(message)
    this.progressListeners = new Set();
    this.sessions = new Map(); // session -> {config, state, dirty, changedAt, savedAt, saving, training}
    this.failed = null;
    this.restoring = null;
    this.lastProgress = "start";
    this.lastBytes = null; // {loaded, total}: bytes of the bundle downloaded while loading
    this.lastAutoRestart = -Infinity;
    this.generation = 0;
    if (typeof WorkerCtor !== "function") {
      this.failed = new WidgetError({ code: ERROR_CODES.unsupported, message: "" });
      this.ready = Promise.reject(this.failed);
      this.ready.catch(() => {});
      return;
    }
    this.ready = this._spawn();
    this.ready.catch(() => {});
  }

  // A new worker and its init; resolves when Python is loaded.
  _spawn() {
    const gen = ++this.generation;
    this.failed = null;
    this.loaded = false;
    this.lastProgress = "start";
    this.lastBytes = null;
    this.lastHeard = now();
    try {
      this.worker = new this.WorkerCtor(trustedScriptUrl(this.workerUrl));
    } catch (e) {
      // e.g. a Trusted Types or CSP refusal of the worker URL
      this._fail({ code: ERROR_CODES.worker_failed, message: "", detail: String(e?.message || e) });
      return Promise.reject(this.failed);
    }
    this.worker.onmessage = (ev) => gen === this.generation && this._onMessage(ev.data);
    this.worker.onerror = (ev) => {
      if (ev && typeof ev.preventDefault === "function") ev.preventDefault();
      if (gen === this.generation) this._onWorkerError(ev?.message || "error");
    };
    this.worker.onmessageerror = () => gen === this.generation && this._onWorkerError("messageerror");
    this.initId = this.nextId;
    const { bundleUrl, pyodideUrl } = this;
    const ready = this._send(null, "init", pyodideUrl ? { bundleUrl, pyodideUrl } : { bundleUrl });
    this._armDeadline("start");
    ready.then(() => {
      clearTimeout(this.deadline);
      this.loaded = true;
      this._startTicking();
    }, () => {});
    return ready;
  }

  // Public calls wait for a restart in progress; a failed client rejects at once.
  call(session, cmd, args = {}) {
    if (this.failed) return Promise.reject(this.failed);
    if (this.restoring) return this.restoring.then(() => this.call(session, cmd, args));
    return this._send(session, cmd, args).then((result) => {
      this._note(session, cmd, args);
      return result;
    });
  }

  _send(session, cmd, args) {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const msg = makeRequest(id, session, cmd, args);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(msg);
    });
  }

  // What restart() needs to rebuild a session: its create config, then its saved states.
  _note(session, cmd, args) {
    if (session == null) return;
    if (cmd === "destroy") return void this.sessions.delete(session);
    if (cmd === "create") this.sessions.set(session, { config: args.config || {}, state: null, savedAt: 0 });
    const info = this.sessions.get(session);
    if (!info) return;
    if (cmd === "start_training") info.training = true;
    if (cmd === "stop_training") info.training = false;
    if (!READ_ONLY.has(cmd)) this._dirty(info);
  }

  _dirty(info) {
    info.dirty = true;
    info.changedAt = now();
  }

  subscribe(session, fn) {
    this.listeners.set(session, fn);
  }

  unsubscribe(session) {
    this.listeners.delete(session);
  }

  onProgress(fn) {
    this.progressListeners.add(fn);
    fn(this.lastProgress, this.lastBytes);
    return () => this.progressListeners.delete(fn);
  }

  terminate() {
    if (this.worker) this.worker.terminate();
    this._fail({ code: ERROR_CODES.worker_failed, message: "terminated" });
  }

  // Ends the worker, whatever it is doing, starts a new one and restores every session of the
  // page from its last saved state (the engine's save/load; a session never saved is created
  // again from its config). Pending calls reject with worker_lost; listeners get {lost} now,
  // then {restored, result} per session, or {fatal} if the new worker fails too. Used on a
  // lost worker (once by itself), by "Reintentar", and to stop a runaway Python loop.
  restart(reason = "restart") {
    if (this.restoring) return this.restoring;
    if (!this.WorkerCtor || typeof this.WorkerCtor !== "function") return Promise.reject(this.failed);
    const lost = { code: ERROR_CODES.worker_lost, message: "", detail: String(reason) };
    this._kill(new WidgetError(lost));
    for (const fn of this.listeners.values()) fn({ lost: true, error: lost, training: false });
    const restoring = this._spawn().then(() => this._restoreAll());
    this.restoring = restoring;
    restoring.then(() => { this.restoring = null; }, (e) => {
      this.restoring = null;
      if (!this.failed) this._fail(e?.detail || { code: ERROR_CODES.worker_lost, message: "", detail: String(reason) });
    });
    this.ready = restoring;
    return restoring;
  }

  async _restoreAll() {
    for (const [session, info] of this.sessions) {
      let result;
      try {
        if (!info.state) throw new Error("never saved");
        result = await this._send(session, "load", { state: info.state });
      } catch {
        result = await this._send(session, "create", { config: info.config });
        info.state = null;
      }
      info.training = false;
      info.dirty = false;
      const fn = this.listeners.get(session);
      if (fn) fn({ restored: true, result });
    }
  }

  // The worker is gone: restart by itself once a minute at most, otherwise fail (Reintentar).
  _onWorkerError(reason) {
    if (!this.loaded || this.restoring) {
      this._fail({ code: this.loaded ? ERROR_CODES.worker_lost : ERROR_CODES.worker_failed, message: "", detail: String(reason) });
      return;
    }
    if (now() - this.lastAutoRestart > LIVENESS.autoRestartMs) {
      this.lastAutoRestart = now();
      this.restart(reason).catch(() => {});
    } else {
      this._fail({ code: ERROR_CODES.worker_lost, message: "", detail: String(reason) });
    }
  }

  // Stops the worker and the timers and rejects every pending call with `err`.
  _kill(err) {
    this.generation++;
    clearTimeout(this.deadline);
    clearInterval(this.ticker);
    this.ticker = null;
    if (this.worker) this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(err);
    this.pending.clear();
    for (const info of this.sessions.values()) info.saving = false;
  }

  _fail(error) {
    if (this.failed) return;
    this.failed = new WidgetError(error);
    this._kill(this.failed);
    for (const fn of this.listeners.values()) fn({ error: this.failed.detail, training: false, fatal: true });
  }

  // A loading stage that outlives its deadline fails the load with the stage's name.
  _armDeadline(stage) {
    clearTimeout(this.deadline);
    const ms = LOAD_DEADLINES[stage];
    if (!ms || this.loaded) return;
    this.deadline = setTimeout(() => {
      this._fail({ code: ERROR_CODES.load_failed, message: "", detail: `timeout: ${stage} (${Math.round(ms / 1000)} s)` });
    }, ms);
    unref(this.deadline);
  }

  _startTicking() {
    clearInterval(this.ticker);
    this.ticker = setInterval(() => this._tick(), LIVENESS.tickMs);
    unref(this.ticker);
  }

  // Heartbeat and saves.
  _tick() {
    if (this.failed || !this.loaded) return;
    const t = now();
    let training = false;
    for (const info of this.sessions.values()) training ||= !!info.training;
    if (this.pending.size > 0 || training) {
      if (t - this.lastHeard > LIVENESS.deadMs) return this._onWorkerError("no response");
      if (t - (this.lastPing || 0) > LIVENESS.pingMs) {
        this.lastPing = t;
        this.worker.postMessage({ ping: t });
      }
    }
    if (this.restoring) return;
    for (const [session, info] of this.sessions) {
      const due = info.training ? t - info.savedAt > LIVENESS.saveMs : t - info.changedAt > LIVENESS.settleMs;
      if (info.dirty && !info.saving && due) this._save(session, info);
    }
  }

  _save(session, info) {
    info.saving = true;
    info.dirty = false;
    const gen = this.generation;
    this._send(session, "save", {}).then((r) => {
      if (gen === this.generation && this.sessions.get(session) === info) info.state = r.state;
      info.savedAt = now();
    }, () => { info.dirty = true; }).finally(() => { info.saving = false; });
  }

  _onMessage(msg) {
    this.lastHeard = now();
    if (msg && "pong" in msg) return;
    if (isProgress(msg)) {
      // A stage's deadline runs from its start; byte counts within it do not re-arm it.
      if (msg.progress !== this.lastProgress) this._armDeadline(msg.progress);
      this.lastProgress = msg.progress;
      this.lastBytes = msg.total > 0 ? { loaded: msg.loaded, total: msg.total } : null;
      for (const fn of this.progressListeners) fn(msg.progress, this.lastBytes);
      return;
    }
    if (isReply(msg)) return this._onReply(msg);
    if (isSnapshotMessage(msg)) {
      const info = this.sessions.get(msg.session);
      if (info) {
        this._dirty(info);
        if (msg.training === false) info.training = false;
      }
      const fn = this.listeners.get(msg.session);
      if (fn) {
        if (msg.snapshot) attachBuffer(msg.snapshot, msg.buffer);
        fn(msg);
      }
    }
  }

  // The page took `count` of a session's live snapshots to draw, or dropped them for newer ones
  // (session.js): the worker may post as many more (worker/training.js). From the animation
  // frame that draws (inFrame), the message carries its time, which tells the worker when the
  // page's frames come. A busy page thus slows the snapshots down instead of queueing them; a
  // hidden one (no frames) gets one a second.
  acknowledge(session, count = 1, inFrame = true) {
    if (this.failed || !this.worker) return;
    const origin = globalThis.performance?.timeOrigin;
    for (let i = 0; i < count; i++) {
      this.worker.postMessage(inFrame && origin ? { drawn: session, at: origin + performance.now() } : { drawn: session });
    }
  }

  _onReply(msg) {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) return p.resolve(attachBuffer(msg.result, msg.buffer));
    const err = new WidgetError(msg.error);
    // A failed init poisons the whole worker: later calls fail fast with the same error.
    if (msg.id === this.initId) this._fail(msg.error);
    p.reject(err);
  }
}

const clients = new Map();

// The page's single worker for this (worker, bundle) pair. A failed client is replaced, so
// "Reintentar" starts a fresh worker.
export function getClient(workerUrl, bundleUrl, WorkerCtor, pyodideUrl = "") {
  const key = `${workerUrl}\n${bundleUrl}\n${pyodideUrl}`;
  let c = clients.get(key);
  if (c && c.failed && c.sessions.size === 0) {
    if (c.worker) c.worker.terminate();
    clients.delete(key);
    c = null;
  } else if (c && c.failed) {
    c.restart("retry").catch(() => {});
  }
  if (!c) {
    c = new WorkerClient(workerUrl, bundleUrl, WorkerCtor, pyodideUrl);
    clients.set(key, c);
  }
  return c;
}

export function clientCount() {
  return clients.size;
}

export function _resetClients() {
  for (const c of clients.values()) if (c.worker) c.worker.terminate();
  clients.clear();
}

// The page's clients (the console and tests reach restart() through them).
export function pageClients() {
  return [...clients.values()];
}
