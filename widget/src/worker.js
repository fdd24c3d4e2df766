// The page's Web Worker: loads Pyodide, numpy and the engine once, keeps one engine session
// per widget and trains in time slices so the page never waits for Python.
// A classic, self-contained script (importScripts; no imports). Its own commands are in
// WORKER_COMMANDS below; it repeats only the envelope field names:
//   in {id, session, cmd, args}; out {id, ok, result | error, buffer?};
//   unsolicited {session, snapshot, buffer?, training} / {session, error, training} / {progress}.
"use strict";

const EPOCH_MS = 40; // time spent on epochs in one training slice
const MAX_SLICE_MS = 150; // a slice never blocks stop/set_config for longer than this
const MAX_EPOCHS_PER_SLICE = 2000;

let pyodide = null;
let pyCall = null; // Python function (session, cmd, args_json) -> reply_json
let pyTake = null; // Python function () -> bytes
let loading = null;
const training = new Map(); // session -> {epochs, grid}
let sliceScheduled = false;

function post(msg, buffer) {
  if (buffer) {
    msg.buffer = buffer;
    self.postMessage(msg, [buffer.buffer]);
  } else {
    self.postMessage(msg);
  }
}

function progress(stage) {
  self.postMessage({ progress: stage });
}

function spanishLoadError(url, detail) {
  return {
    code: "load_failed",
    message: "No se ha podido cargar Python desde " + url + ".",
    message_en: "Could not load Python from " + url + ".",
    detail: String(detail && detail.message ? detail.message : detail),
  };
}

const withSlash = (url) => (url.endsWith("/") ? url : url + "/");

// The engine as loadPackage takes it: a package of our own lock, or, when the Pyodide core
// comes from another origin (a CDN), the URL of our wheel, named by our lock.
async function enginePackage(base, core) {
  if (core === base) return "backprop";
  const lock = await (await fetch(base + "pyodide-lock.json")).json();
  return base + lock.packages.backprop.file_name;
}

async function init(bundleUrl, pyodideUrl) {
  if (loading) return loading;
  loading = (async () => {
    if (typeof bundleUrl !== "string" || !bundleUrl) throw spanishLoadError(String(bundleUrl), "no bundle URL");
    const base = withSlash(bundleUrl);
    const core = pyodideUrl ? withSlash(pyodideUrl) : base;
    progress("pyodide");
    const failures = [];
    try {
      importScripts(core + "pyodide.js");
      pyodide = await self.loadPyodide({ indexURL: core });
      progress("packages");
      await pyodide.loadPackage(["numpy", await enginePackage(base, core)], {
        messageCallback: () => {},
        errorCallback: (m) => failures.push(m),
      });
      progress("engine");
      pyodide.runPython(
        [
          "from backprop.session import Registry as _BpRegistry",
          "_bp_registry = _BpRegistry()",
          "def _bp_call(session, cmd, args):",
          "    return _bp_registry.call(session, cmd, args)",
          "def _bp_take():",
          "    return _bp_registry.take_buffer()",
        ].join("\n"),
      );
      pyCall = pyodide.globals.get("_bp_call");
      pyTake = pyodide.globals.get("_bp_take");
    } catch (e) {
      // The package errors (e.g. a wheel whose hash does not match the lock) explain more
      // than the import error that follows them.
      throw spanishLoadError(core, failures.length ? failures.join("; ") : e);
    }
    return { pyodide: pyodide.version };
  })();
  return loading;
}

// Copy the last call's float32 payload out of Python's memory into a transferable array.
function takeBuffer() {
  const proxy = pyTake();
  try {
    const bytes = proxy.toJs();
    if (!bytes || bytes.byteLength === 0) return null;
    const copy = bytes.slice(); // own ArrayBuffer, offset 0, 4-byte aligned
    return new Float32Array(copy.buffer, 0, copy.byteLength >> 2);
  } finally {
    proxy.destroy();
  }
}

// Forward one command to the engine. Returns {ok, result | error, buffer}.
function callPython(session, cmd, args) {
  let reply;
  try {
    reply = JSON.parse(pyCall(String(session ?? ""), cmd, JSON.stringify(args ?? {})));
  } catch (e) {
    return {
      ok: false,
      error: {
        code: "python_error",
        message: "Error interno del motor de Python.",
        message_en: "Internal error in the Python engine.",
        detail: String(e && e.message ? e.message : e),
      },
    };
  }
  const buffer = reply.ok ? takeBuffer() : null;
  return { ok: reply.ok, result: reply.result, error: reply.error, buffer };
}

// How many epochs the next slice runs. A train call costs a fixed overhead (snapshot, grid,
// gradients for the diagram) plus a cost per epoch; the two are told apart from two slices
// with clearly different epoch counts, so that ~EPOCH_MS of every slice is training.
function nextEpochs(job, n, dt) {
  const prev = job.sample;
  job.sample = { n, dt };
  if (job.perEpoch) {
    // The network may have changed size under us: a prediction far off restarts the estimate.
    const predicted = job.overhead + n * job.perEpoch;
    if (dt > 2 * predicted || dt < 0.5 * predicted) job.perEpoch = job.probed = null;
  }
  if (prev && Math.abs(n - prev.n) >= Math.max(2, 0.2 * Math.min(n, prev.n))) {
    const per = (dt - prev.dt) / (n - prev.n);
    if (per > 0) {
      job.perEpoch = job.perEpoch ? 0.6 * job.perEpoch + 0.4 * per : per;
      job.overhead = Math.max(0, dt - n * job.perEpoch);
    }
  }
  let next;
  if (!job.perEpoch) {
    // No estimate yet: grow quickly while slices are short; a long first slice may be all
    // overhead, so probe once with more epochs before shrinking.
    if (dt < EPOCH_MS) next = n * 4;
    else if (!job.probed && dt < MAX_SLICE_MS) {
      job.probed = true;
      next = n * 3;
    } else next = n * (EPOCH_MS / dt);
  } else {
    const ideal = Math.min(EPOCH_MS, MAX_SLICE_MS - job.overhead) / job.perEpoch;
    next = 0.5 * n + 0.5 * ideal;
  }
  return Math.max(1, Math.min(MAX_EPOCHS_PER_SLICE, Math.round(next)));
}

function scheduleSlice() {
  if (sliceScheduled || training.size === 0) return;
  sliceScheduled = true;
  // setTimeout, not a tight loop: stop/set_config messages get in between slices.
  setTimeout(runSlice, 0);
}

function runSlice() {
  sliceScheduled = false;
  for (const [session, job] of training) {
    const t0 = performance.now();
    const reply = callPython(session, "train", job.grid ? { epochs: job.epochs, grid: job.grid } : { epochs: job.epochs });
    const dt = Math.max(performance.now() - t0, 0.1);
    if (!reply.ok) {
      training.delete(session);
      post({ session, error: reply.error, training: false });
      continue;
    }
    job.epochs = nextEpochs(job, job.epochs, dt);
    const diverged = reply.result && reply.result.status === "diverged";
    if (diverged) training.delete(session);
    post({ session, snapshot: reply.result, training: !diverged }, reply.buffer);
  }
  scheduleSlice();
}

function startTraining(session, args) {
  const job = training.get(session) || { epochs: Math.max(1, Math.round(args.epochs_per_slice || 1)) };
  job.grid = args.grid || null;
  training.set(session, job);
  scheduleSlice();
  return { training: true };
}

function stopTraining(session) {
  const was = training.delete(session);
  return { training: false, was_training: was };
}

// The worker's own commands. The engine's command table declares them (origin "worker") for the
// contract and the docs; a test checks that these names and arguments are the contract's. Every
// other command is forwarded to the engine.
const WORKER_COMMANDS = {
  init: {
    args: { bundleUrl: { type: "string", required: true }, pyodideUrl: { type: "string", required: false } },
    doc: "load Pyodide, numpy and the engine once (the core from pyodideUrl when given, e.g. a CDN)",
    handler: (session, args) => init(args.bundleUrl, args.pyodideUrl),
  },
  start_training: {
    args: { grid: { type: "int", required: false }, epochs_per_slice: { type: "int", required: false } },
    doc: "train in time slices, posting the newest snapshot after each",
    handler: startTraining,
  },
  stop_training: {
    args: {},
    doc: "stop after the current slice",
    handler: stopTraining,
  },
};

async function handle(msg) {
  const { id, session, cmd, args } = msg || {};
  try {
    const own = Object.prototype.hasOwnProperty.call(WORKER_COMMANDS, cmd) ? WORKER_COMMANDS[cmd] : null;
    if (cmd !== "init") {
      if (!loading) throw { code: "load_failed", message: "El trabajador aún no se ha iniciado.", message_en: "Worker not initialised." };
      await loading;
    }
    if (own) {
      post({ id, ok: true, result: await own.handler(session, args || {}) });
      return;
    }
    if (cmd === "destroy") training.delete(session);
    const reply = callPython(session, cmd, args);
    if (reply.ok) post({ id, ok: true, result: reply.result }, reply.buffer);
    else post({ id, ok: false, error: reply.error });
  } catch (e) {
    const error = e && e.code ? e : { code: "python_error", message: "Error interno del motor de Python.", detail: String(e) };
    post({ id, ok: false, error });
  }
}

self.onmessage = (ev) => {
  handle(ev.data);
};
