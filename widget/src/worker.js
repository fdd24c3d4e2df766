// The page's Web Worker: loads Pyodide, numpy and the engine once, keeps one engine session
// per widget and trains in time slices so the page never waits for Python.
// A classic script (importScripts; no imports). Its parts, in worker/, are classic scripts that
// share the worker's global scope: loading.js (Pyodide, numpy, the engine, byte progress),
// engine-calls.js (one engine command), training.js (the live-training loop), console.js (the
// terminal's Python console). Unbundled, this file loads them with importScripts; the Hugo
// module concatenates them before it (partials/backpropagation/widget-js.html), one script.
// This file: the envelope, the worker's own commands (WORKER_COMMANDS) and the message loop.
// It repeats only the envelope field names:
//   in {id, session, cmd, args} | {ping} | {drawn: session}; out {id, ok, result | error, buffer?} | {pong};
//   unsolicited {session, snapshot, buffer?, training} / {session, error, training} / {progress}.
"use strict";

const WORKER_PARTS = ["worker/loading.js", "worker/engine-calls.js", "worker/training.js", "worker/console.js"];

// Under Trusted Types (require-trusted-types-for 'script') importScripts needs a
// TrustedScriptURL, for our own calls and Pyodide's: one policy for the worker's life (a page
// may allow the name once) that lets through only the URLs under the allowed prefixes: the
// parts' folder, then (init) the bundle's and the Pyodide core's.
const scriptPrefixes = [];
let scriptPolicy; // undefined: not tried yet; null: no Trusted Types or not allowed

function allowScriptUrls(prefixes) {
  scriptPrefixes.push(...prefixes);
  if (scriptPolicy !== undefined) return;
  scriptPolicy = null;
  if (!self.trustedTypes || !self.trustedTypes.createPolicy) return;
  try {
    scriptPolicy = self.trustedTypes.createPolicy("backprop-widget", {
      createScriptURL: (url) => {
        if (scriptPrefixes.some((p) => String(url).startsWith(p))) return url;
        throw new TypeError("script URL outside the bundle: " + url);
      },
    });
  } catch (e) {
    return; // the page's trusted-types directive does not allow our policy: let it say so
  }
  const original = self.importScripts.bind(self);
  self.importScripts = (...urls) => original(...urls.map((u) => (typeof u === "string" ? scriptPolicy.createScriptURL(u) : u)));
}

// Concatenated by the Hugo module, the parts are already here; unbundled, load them.
if (typeof callPython !== "function") {
  const here = self.location.href;
  allowScriptUrls([new URL("worker/", here).href]);
  self.importScripts(...WORKER_PARTS.map((part) => new URL(part, here).href));
}

function post(msg, buffer) {
  if (buffer) {
    msg.buffer = buffer;
    self.postMessage(msg, [buffer.buffer]);
  } else {
    self.postMessage(msg);
  }
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
  // The page took a session's live snapshot to draw: the next may come (worker/training.js).
  if (ev.data && typeof ev.data === "object" && "drawn" in ev.data) {
    snapshotDrawn(ev.data.drawn, ev.data.at);
    return;
  }
  handle(ev.data);
};

// Pyodide starts some downloads (the lock file) before it awaits them; when one fails during a
// failed load, its rejection must not reach the console as "uncaught": init reports the failure.
self.onunhandledrejection = (ev) => {
  if (!pyCall) ev.preventDefault();
};
