// boot.js: every widget already in the page gets its worker started and its first view asked
// for before the rest of the modules run; a widget whose attributes cannot be read is left to
// its element, and the others still start.
import { test } from "node:test";
import assert from "node:assert/strict";

import { prefetchAll } from "../src/boot.js";
import { _resetClients } from "../src/protocol.js";

function host(attrs) {
  return { getAttribute: (name) => (name in attrs ? attrs[name] : null) };
}

test("one worker for the page's widgets; a malformed URL does not stop the others", () => {
  _resetClients();
  const started = [];
  globalThis.Worker = class {
    constructor(url) { started.push(String(url)); }
    postMessage() {}
    terminate() {}
  };
  globalThis.fetch = async () => ({ ok: false, json: async () => null });
  const base = "http://site.test/page/";
  globalThis.document = { baseURI: base, querySelectorAll: () => [] };
  try {
    const good = { "data-worker-url": "/w.js", "data-bundle-url": "/b/", "data-config": "{}" };
    prefetchAll({ querySelectorAll: () => [host({ ...good, "data-bundle-url": "http://[bad" }), host(good), host(good)] });
    assert.deepEqual(started, ["http://site.test/w.js"], "the two good widgets share one worker");
  } finally {
    delete globalThis.document;
    delete globalThis.Worker;
    delete globalThis.fetch;
    _resetClients();
  }
});
