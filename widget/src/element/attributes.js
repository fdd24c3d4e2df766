// What the element reads from its data-* attributes (written by the shortcode or an author):
// the session config, the mode, the language and where the worker, the bundle and Pyodide come
// from.

import { normalizeLang } from "../i18n.js";

export const MODES = ["explorar", "paso-a-paso", "entrenar"];

export function readMode(host) {
  const m = host.getAttribute("data-mode");
  return MODES.includes(m) ? m : "explorar";
}

// The config object of data-config; {} when absent, null when it is not a JSON object
// ('"hola"', '[1]', broken JSON): refused, never silently replaced by the defaults.
export function readConfig(host) {
  const raw = host.getAttribute("data-config");
  if (raw === null || raw.trim() === "") return {};
  try {
    const c = JSON.parse(raw);
    return c && typeof c === "object" && !Array.isArray(c) ? c : null;
  } catch {
    return null;
  }
}

// fallback: where worker.js is when data-worker-url is absent (boot.js's defaultWorkerUrl).
export function workerUrl(host, fallback) {
  const w = host.getAttribute("data-worker-url");
  return w ? new URL(w, document.baseURI).href : fallback;
}

export function bundleUrl(host) {
  const b = host.getAttribute("data-bundle-url") || "/backpropagation/";
  const abs = new URL(b, document.baseURI).href;
  return abs.endsWith("/") ? abs : abs + "/";
}

// Where the Pyodide core comes from when the site opts into a CDN ("" = the bundle).
export function pyodideUrl(host) {
  const p = host.getAttribute("data-pyodide-url");
  return p ? new URL(p, document.baseURI).href : "";
}

export function readLang(host) {
  return normalizeLang(host.getAttribute("data-lang") || "es");
}

// Where the engine comes from. fallbackWorker: where worker.js is when data-worker-url is
// absent (unbundled, next to the modules; a bundle must pass data-worker-url).
export function engineUrls(host, fallbackWorker) {
  return { workerUrl: workerUrl(host, fallbackWorker), bundleUrl: bundleUrl(host), pyodideUrl: pyodideUrl(host) };
}
