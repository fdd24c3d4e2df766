// The worker's part that loads Pyodide, numpy and the engine once, reporting each stage (and
// the bytes of the big downloads) to the page, and says in Spanish why a load failed.
// A classic script sharing the worker's global scope (see worker.js).
"use strict";

let pyodide = null;
let pyCall = null; // Python function (session, cmd, args_json) -> the reply's JSON as UTF-8 bytes (engine-calls.js)
let pyTake = null; // Python function () -> bytes
let loading = null; // init's promise
let bundlePrefixes = []; // the bundle's and the Pyodide core's folders: all this worker may load

// The loading stage and the bytes of the bundle's downloads so far (countDownloads): the page's
// loading bar. Byte counts go out at most every PROGRESS_MS; a new stage at once.
const PROGRESS_MS = 100;
const download = { stage: "start", loaded: 0, total: 0, sentAt: -Infinity };

function progress(stage) {
  download.stage = stage;
  postProgress(true);
}

function postProgress(now) {
  const t = performance.now();
  if (!now && t - download.sentAt < PROGRESS_MS) return;
  download.sentAt = t;
  const msg = { progress: download.stage };
  if (download.total > 0) Object.assign(msg, { loaded: Math.min(download.loaded, download.total), total: download.total });
  self.postMessage(msg);
}

// While Python loads, every fetch (Pyodide's runtime, standard library, wheels) is counted as
// its body streams in, against the sizes its Content-Length headers announce. The count reads a
// clone, so the caller gets the response itself (its URL keeps Chromium's cache of compiled
// WebAssembly working). A compressed response (its length is not the body's) or one without a
// length passes through uncounted. Returns the function that puts the original fetch back.
function countDownloads() {
  const realFetch = self.fetch;
  if (typeof realFetch !== "function") return () => {};
  self.fetch = async function countingFetch(...args) {
    const res = await realFetch.apply(this, args);
    const size = Number(res.headers.get("Content-Length"));
    if (!res.ok || !res.body || !(size > 0) || res.headers.get("Content-Encoding")) return res;
    download.total += size;
    postProgress(true);
    countBody(res.clone().body.getReader());
    return res;
  };
  return () => {
    self.fetch = realFetch;
  };
}

async function countBody(reader) {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      download.loaded += value.byteLength;
      postProgress(false);
    }
  } catch (e) {
    return; // the download failed: the load reports it
  }
  postProgress(true);
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

// The engine as loadPyodide's packages take it: a package of our own lock, or, when the Pyodide
// core comes from another origin (a CDN), the URL of our wheel, named by our lock.
async function enginePackage(base, core) {
  if (core === base) return "backprop";
  const lock = await (await fetch(base + "pyodide-lock.json")).json();
  return base + lock.packages.backprop.file_name;
}

async function loadEngine(base, core, failures) {
  progress("pyodide");
  const engine = enginePackage(base, core);
  engine.catch(() => {}); // awaited below; a failure must not reach the console first
  importScripts(core + "pyodide.js");
  const out = collectConsole();
  try {
    // numpy and the engine as loadPyodide's packages: their wheels download while Pyodide's
    // runtime compiles and starts, not after it. A package's errors go to the console (kept).
    const packages = ["numpy", await engine];
    pyodide = await Promise.race([self.loadPyodide({ indexURL: core, packages }), out.fatal]);
  } finally {
    out.restore();
    failures.push(...out.lines);
  }
  progress("packages"); // already in with Pyodide; the page's stages stay the same
  progress("engine");
  pyodide.runPython(
    [
      "from backprop.session import Registry as _BpRegistry",
      "_bp_registry = _BpRegistry()",
      "def _bp_call(session, cmd, args):",
      "    return _bp_registry.call(session, cmd, args).encode()",
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
    bundlePrefixes = [base, core];
    allowScriptUrls(bundlePrefixes);
    checkWasmAllowed();
    const failures = [];
    const uncount = countDownloads();
    try {
      await loadEngine(base, core, failures);
    } catch (e) {
      // The package errors (e.g. a wheel whose hash does not match the lock) explain more
      // than the import error that follows them.
      const detail = failures.length ? failures.join("; ") : e;
      throw spanishLoadError(core, detail, await diagnose(base, core).catch(() => null));
    } finally {
      uncount();
    }
    return { pyodide: pyodide.version };
  })();
  return loading;
}
