// The page's Web Worker: loads Pyodide, numpy and the engine once, keeps one engine session
// per widget and trains in time slices so the page never waits for Python.
// A classic, self-contained script (importScripts; no imports). Its own commands are in
// WORKER_COMMANDS below; it repeats only the envelope field names:
//   in {id, session, cmd, args}; out {id, ok, result | error, buffer?};
//   unsolicited {session, snapshot, buffer?, training} / {session, error, training} / {progress}.
"use strict";

const FRAME_MS = 15; // a live snapshot at most this often per session (a bit above 60 Hz)
const SLICE_MS = 12; // a training call never holds stop/set_config back longer than this
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

function spanishLoadError(url, detail, reason) {
  const why = reason || { es: "", en: "" };
  return {
    code: "load_failed",
    message: "No se ha podido cargar Python desde " + url + "." + (why.es ? " " + why.es : ""),
    message_en: "Could not load Python from " + url + "." + (why.en ? " " + why.en : ""),
    detail: String(detail && detail.message ? detail.message : detail),
  };
}

const withSlash = (url) => (url.endsWith("/") ? url : url + "/");

// Under Trusted Types (require-trusted-types-for 'script') importScripts needs a
// TrustedScriptURL, for our own calls and Pyodide's: a policy that lets through only the
// bundle's and the Pyodide core's own URLs.
function trustScriptUrls(prefixes) {
  if (!self.trustedTypes || !self.trustedTypes.createPolicy) return;
  let policy;
  try {
    policy = self.trustedTypes.createPolicy("backprop-widget", {
      createScriptURL: (url) => {
        if (prefixes.some((p) => String(url).startsWith(p))) return url;
        throw new TypeError("script URL outside the bundle: " + url);
      },
    });
  } catch (e) {
    return; // the page's trusted-types directive does not allow our policy: let it say so
  }
  const original = self.importScripts.bind(self);
  self.importScripts = (...urls) => original(...urls.map((u) => (typeof u === "string" ? policy.createScriptURL(u) : u)));
}

// WebAssembly refused by the worker's CSP (no 'wasm-unsafe-eval') fails here at once.
function checkWasmAllowed() {
  if (typeof WebAssembly === "undefined") return;
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (e) {
    throw spanishLoadError("", e, {
      es: "La política de seguridad de la página (CSP) no permite WebAssembly: falta 'wasm-unsafe-eval' en script-src.",
      en: "The page's security policy (CSP) does not allow WebAssembly: script-src lacks 'wasm-unsafe-eval'.",
    });
  }
}

// While Pyodide starts, its console output is kept as the failure's detail instead of being
// printed: a failed wasm download or a missing standard library is reported only there, and
// Pyodide would otherwise wait forever. Resolves `fatal` when such a line appears.
function collectConsole() {
  const saved = { warn: console.warn, error: console.error };
  const lines = [];
  let fail;
  const fatal = new Promise((resolve, reject) => { fail = reject; });
  fatal.catch(() => {});
  const take = (...parts) => {
    lines.push(parts.map((x) => (x && x.message ? x.message : String(x))).join(" "));
    if (/wasm instantiation failed|installing the standard library/.test(lines[lines.length - 1])) {
      setTimeout(() => fail(new Error(lines.join("; "))), 0); // the next line holds the cause
    }
  };
  console.warn = take;
  console.error = take;
  return { lines, fatal, restore: () => Object.assign(console, saved) };
}

// After a failure, which of the bundle's files is missing or blocked (the reason we show).
async function diagnose(base, core) {
  if (typeof fetch !== "function") return null;
  const files = [[core, "pyodide.js"], [core, "pyodide.asm.js"], [core, "pyodide.asm.wasm"],
    [core, "python_stdlib.zip"], [base, "pyodide-lock.json"]];
  for (const [dir, name] of files) {
    let status;
    try {
      status = (await fetch(dir + name, { method: "HEAD", cache: "no-store" })).status;
    } catch (e) {
      return { es: "La página no permite descargar " + name + " (¿falta connect-src en su CSP?).",
        en: "The page does not allow downloading " + name + " (is connect-src missing from its CSP?)." };
    }
    if (status >= 400) return { es: "Falta " + name + " (HTTP " + status + ").", en: name + " is missing (HTTP " + status + ")." };
  }
  return null;
}

// The engine as loadPackage takes it: a package of our own lock, or, when the Pyodide core
// comes from another origin (a CDN), the URL of our wheel, named by our lock.
async function enginePackage(base, core) {
  if (core === base) return "backprop";
  const lock = await (await fetch(base + "pyodide-lock.json")).json();
  return base + lock.packages.backprop.file_name;
}

async function loadEngine(base, core, failures) {
  progress("pyodide");
  importScripts(core + "pyodide.js");
  const out = collectConsole();
  try {
    pyodide = await Promise.race([self.loadPyodide({ indexURL: core }), out.fatal]);
  } finally {
    out.restore();
    failures.push(...out.lines);
  }
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
}

async function init(bundleUrl, pyodideUrl) {
  if (loading) return loading;
  loading = (async () => {
    if (typeof bundleUrl !== "string" || !bundleUrl) throw spanishLoadError(String(bundleUrl), "no bundle URL");
    const base = withSlash(bundleUrl);
    const core = pyodideUrl ? withSlash(pyodideUrl) : base;
    trustScriptUrls([base, core]);
    checkWasmAllowed();
    const failures = [];
    try {
      await loadEngine(base, core, failures);
    } catch (e) {
      // The package errors (e.g. a wheel whose hash does not match the lock) explain more
      // than the import error that follows them.
      const detail = failures.length ? failures.join("; ") : e;
      throw spanishLoadError(core, detail, await diagnose(base, core).catch(() => null));
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

// ---------------------------------------------------------------- training (docs/performance.md)
// Training is decoupled from drawing. Each session's job alternates between training calls
// that return no snapshot (cheap: the epochs and a few numbers) and, once per frame interval,
// a live snapshot (backprop/live.py: what changed and what the open views draw). A training
// call is sized from the measured cost per epoch to end when the next snapshot is due, and never
// runs longer than SLICE_MS, so stop_training and set_config get in quickly.

// The next step of a job at time `now`: {post: true} or {epochs: n}. Pure, for the unit tests.
function nextStep(job, now) {
  // Never two snapshots without an epoch in between (a snapshot may outlast a frame).
  if (!job.posted && (job.due === undefined || now >= job.due)) return { post: true };
  if (job.posted && now >= job.due) return { epochs: 1 };
  const budget = Math.min(job.due - now, SLICE_MS);
  const per = job.perEpoch || 0;
  if (!(per > 0)) return { epochs: 1 };
  const epochs = Math.round(budget / per);
  // Less than half an epoch left: post a little early rather than a whole epoch late (but
  // never twice without an epoch in between).
  if (epochs < 1) return budget < job.due - now || job.posted ? { epochs: 1 } : { post: true };
  return { epochs: Math.min(MAX_EPOCHS_PER_SLICE, epochs) };
}

// Learn the cost of an epoch from a training call of n epochs that took dt ms.
function noteEpochs(job, n, dt) {
  const per = dt / n;
  // A cost far off the estimate (a rebuilt network, another page's load) restarts it.
  if (!job.perEpoch || per > 2 * job.perEpoch || per < 0.5 * job.perEpoch) job.perEpoch = per;
  else job.perEpoch = 0.7 * job.perEpoch + 0.3 * per;
}

// The live snapshot's arguments: the open views' options and the history cursor.
function liveArgs(job) {
  const args = { live: { ...job.live, since: job.cursor || undefined } };
  if (job.grid) args.grid = job.grid;
  return args;
}

// One step of one job; false when the job ended (an error, divergence).
function stepJob(session, job) {
  const t0 = performance.now();
  const step = nextStep(job, t0);
  job.posted = !!step.post;
  if (step.post) {
    // Due times step by FRAME_MS (a late snapshot makes the next one come sooner), unless the
    // job fell a whole frame behind.
    job.due = job.due !== undefined && t0 - job.due < FRAME_MS ? job.due + FRAME_MS : t0 + FRAME_MS;
    const reply = callPython(session, "snapshot", liveArgs(job));
    if (!reply.ok) return fail(session, reply.error);
    job.cursor = reply.result.history_cursor;
    const diverged = reply.result.status === "diverged";
    post({ session, snapshot: reply.result, training: !diverged }, reply.buffer);
    return !diverged;
  }
  const reply = callPython(session, "train", { epochs: step.epochs, snapshot: "none" });
  if (!reply.ok) return fail(session, reply.error);
  noteEpochs(job, step.epochs, Math.max(performance.now() - t0, 0.01));
  // A diverged network is shown at once, and the loop stops there.
  if (reply.result.status === "diverged") job.due = t0;
  return true;
}

function fail(session, error) {
  post({ session, error, training: false });
  return false;
}

// Yield to the worker's event loop between steps: a MessageChannel message is not clamped to
// 4 ms as nested setTimeout(0) calls are, and queued commands (stop_training, set_config)
// still run first.
const tickChannel = typeof MessageChannel === "function" ? new MessageChannel() : null;
if (tickChannel) tickChannel.port1.onmessage = () => runSlice();

function scheduleSlice() {
  if (sliceScheduled || training.size === 0) return;
  sliceScheduled = true;
  if (tickChannel) tickChannel.port2.postMessage(null);
  else setTimeout(runSlice, 0);
}

function runSlice() {
  sliceScheduled = false;
  for (const [session, job] of training) {
    if (!stepJob(session, job)) training.delete(session);
  }
  scheduleSlice();
}

// args: grid (the output map's resolution) and live (the live snapshot's options: the hidden
// maps' coarser resolution, the parts the open views draw). Calling it again while training
// changes them.
function startTraining(session, args) {
  const job = training.get(session) || {};
  job.grid = args.grid || null;
  job.live = { hidden_grid: args.live?.hidden_grid, parts: args.live?.parts || [] };
  if (!training.has(session)) job.due = undefined;
  training.set(session, job);
  scheduleSlice();
  return { training: true };
}

function stopTraining(session) {
  const was = training.delete(session);
  return { training: false, was_training: was };
}

// ---------------------------------------------------------------- console (docs/console.md)
// The terminal shortcode's Python console: backprop.consolerun.Consoles on the same
// interpreter and registry, made on the first console command. Replies are JSON strings;
// console_push's is awaited (the reader's code may await).
let pyConsole = null; // Python function (cmd, session, args_json) -> reply JSON | awaitable
let interruptBuffer = null; // Uint8Array on a SharedArrayBuffer, when cross-origin isolated
let allowedUrls = []; // the bundle (and the Pyodide core's folder): all a console may reach

// Once a console exists, requests from this worker may only go to the bundle: the reader's
// code can reach the worker's JS scope through sys.modules, so the guard is here, not in Python.
function guardNetwork() {
  const ok = (url) => {
    try {
      const href = new URL(String(url && url.url ? url.url : url), self.location && self.location.href).href;
      return allowedUrls.some((prefix) => href.startsWith(prefix));
    } catch {
      return false;
    }
  };
  const refuse = (url) => {
    throw new TypeError("La consola solo puede leer el paquete de la página, no " + String(url && url.url ? url.url : url) + ".");
  };
  const wrapCall = (name) => {
    const real = self[name];
    if (typeof real !== "function") return;
    self[name] = function guarded(...args) {
      for (const url of name === "importScripts" ? args : [args[0]]) if (!ok(url)) refuse(url);
      return real.apply(this === undefined ? self : this, args);
    };
  };
  const wrapCtor = (name) => {
    const Real = self[name];
    if (typeof Real !== "function") return;
    self[name] = function Guarded(url, ...rest) {
      if (!ok(url)) refuse(url);
      return new Real(url, ...rest);
    };
  };
  ["fetch", "importScripts"].forEach(wrapCall);
  ["WebSocket", "EventSource", "Worker", "SharedWorker"].forEach(wrapCtor);
  const XHR = self.XMLHttpRequest;
  if (XHR && XHR.prototype && typeof XHR.prototype.open === "function") {
    const open = XHR.prototype.open;
    XHR.prototype.open = function guardedOpen(method, url, ...rest) {
      if (!ok(url)) refuse(url);
      return open.call(this, method, url, ...rest);
    };
  }
  if (self.navigator && typeof self.navigator.sendBeacon === "function") self.navigator.sendBeacon = () => false;
}

function consoleSetup() {
  if (pyConsole) return;
  pyodide.runPython(
    [
      "from backprop.consolerun import Consoles as _BpConsoles",
      "_bp_consoles = _BpConsoles(_bp_registry)",
      "def _bp_console(cmd, session, args):",
      "    return _bp_consoles.call(cmd, session, args)",
    ].join("\n"),
  );
  pyConsole = pyodide.globals.get("_bp_console");
  if (self.crossOriginIsolated && typeof SharedArrayBuffer === "function" && pyodide.setInterruptBuffer) {
    interruptBuffer = new Uint8Array(new SharedArrayBuffer(1));
    pyodide.setInterruptBuffer(interruptBuffer);
  }
  guardNetwork();
}

async function consoleCall(cmd, session, args) {
  consoleSetup();
  if (interruptBuffer) interruptBuffer[0] = 0;
  let out = pyConsole(cmd, String(session ?? ""), JSON.stringify(args ?? {}));
  if (typeof out !== "string") {
    const future = out;
    try {
      out = await future;
    } finally {
      future.destroy();
    }
  }
  const reply = JSON.parse(out);
  if (!reply.ok) throw reply.error;
  // The terminal interrupts through this buffer (Ctrl+C, the time limit) when it exists.
  if (cmd === "console_open") reply.result.interrupt = interruptBuffer ? interruptBuffer.buffer : null;
  return reply.result;
}

const consoleCommand = (cmd, doc, args) => ({ args, doc, handler: (session, a) => consoleCall(cmd, session, a) });

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
    args: { grid: { type: "int", required: false }, live: { type: "object", required: false } },
    doc: "train in slices, posting a live snapshot at most once per frame interval",
    handler: startTraining,
  },
  stop_training: {
    args: {},
    doc: "stop after the current slice",
    handler: stopTraining,
  },
  console_open: consoleCommand("console_open", "open the session's console; its time limit and interrupt buffer", { lang: { type: "choice", required: false } }),
  console_push: consoleCommand("console_push", "run one console line, or keep it while the input is incomplete", { line: { type: "string", required: true } }),
  console_complete: consoleCommand("console_complete", "Tab completion of the console's names", { source: { type: "string", required: true } }),
  console_close: consoleCommand("console_close", "forget the session's console", {}),
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
    if (cmd === "destroy" && pyConsole) await consoleCall("console_close", session, {});
    const reply = callPython(session, cmd, args);
    if (reply.ok) post({ id, ok: true, result: reply.result }, reply.buffer);
    else post({ id, ok: false, error: reply.error });
  } catch (e) {
    const error = e && e.code ? e : { code: "python_error", message: "Error interno del motor de Python.", detail: String(e) };
    post({ id, ok: false, error });
  }
}

self.onmessage = (ev) => {
  // The client's heartbeat: answered as soon as no Python call holds the thread.
  if (ev.data && typeof ev.data === "object" && "ping" in ev.data) {
    self.postMessage({ pong: ev.data.ping });
    return;
  }
  handle(ev.data);
};

// Pyodide starts some downloads (the lock file) before it awaits them; when one fails during a
// failed load, its rejection must not reach the console as "uncaught": init reports the failure.
self.onunhandledrejection = (ev) => {
  if (!pyCall) ev.preventDefault();
};
