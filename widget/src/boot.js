// Imported first by index.js, so it runs before the rest of the widget's modules are evaluated:
// every <backprop-widget> already in the page gets its shipped first view and the page's worker
// (Python's start) asked for now, not once every module has run and the element is upgraded,
// which on a cold load is tens of milliseconds later. The element asks again when it connects;
// both requests are kept (per file, per worker), so nothing is fetched or started twice.

import { prefetchEngine } from "./session.js";
import { readConfig, readLang, engineUrls } from "./element/attributes.js";

// Where worker.js is when data-worker-url is absent: next to this module (unbundled).
export function defaultWorkerUrl() {
  return new URL("./worker.js", import.meta.url || document.baseURI).href;
}

// Only an early start: a widget whose attributes cannot be read here (a malformed URL) is left
// to the element, which then shows why; the module and the other widgets go on.
export function prefetchAll(doc) {
  for (const host of doc.querySelectorAll("backprop-widget")) {
    try {
      prefetchEngine(engineUrls(host, defaultWorkerUrl()), readConfig(host), readLang(host));
    } catch {
      continue;
    }
  }
}

if (typeof document !== "undefined" && typeof Worker === "function") prefetchAll(document);
