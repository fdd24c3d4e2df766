// The worker protocol: the envelope and the page-wide worker client. The commands are the
// contract's (contract.js, generated from the engine's command table; origin "worker" for the
// worker's own). worker.js is a self-contained classic script and repeats only the envelope names.
//
// in:  {id, session, cmd, args}
// out: {id, ok: true, result, buffer?} | {id, ok: false, error: {code, message, ...}}
// unsolicited: {session, snapshot, buffer?, training}   (while training; training=false when
//              the worker stopped by itself, e.g. on divergence or an engine error)
//              {session, error, training: false}       (the training loop hit an engine error)
//              {progress: stage}                         (while loading)
// buffer: a Float32Array (transferred) with the decision-boundary grid of the reply's
//         result.grid / snapshot.grid.

import { CONTRACT } from "./contract.js";

// Stable error codes produced on the JS side (the engine adds its own, e.g. invalid_learning_rate).
export const ERROR_CODES = Object.freeze({
  load_failed: "load_failed", // bundle URL unreachable or Pyodide/numpy/engine failed to load
  worker_failed: "worker_failed", // the worker script itself failed (bad worker URL, crash)
  unsupported: "unsupported", // no Worker in this browser
  unknown_command: "unknown_command",
  python_error: "python_error", // an exception escaped the engine (a bug, not a refusal)
});

export function isKnownCommand(cmd) {
  return Object.prototype.hasOwnProperty.call(CONTRACT.commands, cmd);
}

export function makeRequest(id, session, cmd, args = {}) {
  if (!isKnownCommand(cmd)) throw new TypeError(`unknown command: ${cmd}`);
  return { id, session, cmd, args };
}

export function isReply(msg) {
  return msg != null && typeof msg === "object" && "id" in msg && "ok" in msg;
}

export function isSnapshotMessage(msg) {
  return msg != null && typeof msg === "object" && !("id" in msg) && "session" in msg && ("snapshot" in msg || "error" in msg);
}

export function isProgress(msg) {
  return msg != null && typeof msg === "object" && "progress" in msg;
}

// An Error that carries the protocol's {code, message, field}.
export class WidgetError extends Error {
  constructor(error) {
    super(error?.message || String(error?.code || "error"));
    this.code = error?.code || "error";
    this.field = error?.field ?? null;
    this.detail = error;
  }
}

// Attach the transferred grid buffer to the result it describes.
export function attachBuffer(result, buffer) {
  if (result && result.grid && buffer) result.grid.values = buffer;
  return result;
}

// One worker for the whole page, shared by every widget; each widget is one session.
export class WorkerClient {
  constructor(workerUrl, bundleUrl, WorkerCtor = globalThis.Worker, pyodideUrl = "") {
    this.workerUrl = workerUrl;
    this.bundleUrl = bundleUrl;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Map(); // session -> fn(message)
    this.progressListeners = new Set();
    this.failed = null;
    this.lastProgress = "start";
    if (typeof WorkerCtor !== "function") {
      this.failed = new WidgetError({ code: ERROR_CODES.unsupported, message: "" });
      this.ready = Promise.reject(this.failed);
      this.ready.catch(() => {});
      return;
    }
    this.worker = new WorkerCtor(workerUrl);
    this.worker.onmessage = (ev) => this._onMessage(ev.data);
    this.worker.onerror = (ev) => {
      if (ev && typeof ev.preventDefault === "function") ev.preventDefault();
      this._fail({ code: ERROR_CODES.worker_failed, message: ev?.message || "" });
    };
    this.initId = this.nextId;
    this.ready = this.call(null, "init", pyodideUrl ? { bundleUrl, pyodideUrl } : { bundleUrl });
    this.ready.catch(() => {});
  }

  call(session, cmd, args = {}) {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const msg = makeRequest(id, session, cmd, args);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(msg);
    });
  }

  subscribe(session, fn) {
    this.listeners.set(session, fn);
  }

  unsubscribe(session) {
    this.listeners.delete(session);
  }

  onProgress(fn) {
    this.progressListeners.add(fn);
    fn(this.lastProgress);
    return () => this.progressListeners.delete(fn);
  }

  terminate() {
    if (this.worker) this.worker.terminate();
    this._fail({ code: ERROR_CODES.worker_failed, message: "terminated" });
  }

  _fail(error) {
    if (!this.failed) this.failed = new WidgetError(error);
    for (const { reject } of this.pending.values()) reject(this.failed);
    this.pending.clear();
    for (const fn of this.listeners.values()) fn({ error: this.failed.detail, training: false, fatal: true });
  }

  _onMessage(msg) {
    if (isProgress(msg)) {
      this.lastProgress = msg.progress;
      for (const fn of this.progressListeners) fn(msg.progress);
      return;
    }
    if (isReply(msg)) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(attachBuffer(msg.result, msg.buffer));
      else {
        const err = new WidgetError(msg.error);
        // A failed init poisons the whole worker: later calls fail fast with the same error.
        if (msg.id === this.initId) this._fail(msg.error);
        p.reject(err);
      }
      return;
    }
    if (isSnapshotMessage(msg)) {
      const fn = this.listeners.get(msg.session);
      if (fn) {
        if (msg.snapshot) attachBuffer(msg.snapshot, msg.buffer);
        fn(msg);
      }
    }
  }
}

const clients = new Map();

// The page's single worker for this (worker, bundle) pair. A failed client is replaced, so
// "Reintentar" starts a fresh worker.
export function getClient(workerUrl, bundleUrl, WorkerCtor, pyodideUrl = "") {
  const key = `${workerUrl}\n${bundleUrl}\n${pyodideUrl}`;
  let c = clients.get(key);
  if (c && c.failed) {
    if (c.worker) c.worker.terminate();
    clients.delete(key);
    c = null;
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
