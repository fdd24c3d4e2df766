// The worker's part for the terminal shortcode's Python console (docs/console.md).
// A classic script sharing the worker's global scope (see worker.js).
"use strict";

// The terminal shortcode's Python console: backprop.consolerun.Consoles on the same
// interpreter and registry, made on the first console command. Replies are JSON strings;
// console_push's is awaited (the reader's code may await).
let pyConsole = null; // Python function (cmd, session, args_json) -> reply JSON | awaitable
let interruptBuffer = null; // Uint8Array on a SharedArrayBuffer, when cross-origin isolated

// Once a console exists, requests from this worker may only go to the bundle (bundlePrefixes,
// loading.js): the reader's
// code can reach the worker's JS scope through sys.modules, so the guard is here, not in Python.
function guardNetwork() {
  const ok = (url) => {
    try {
      const href = new URL(String(url && url.url ? url.url : url), self.location && self.location.href).href;
      return bundlePrefixes.some((prefix) => href.startsWith(prefix));
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
