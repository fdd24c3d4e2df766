// The session controller with a shipped first view: it answers the first calls while the engine
// loads, lets the rest wait, and hands over to the engine at the same position.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { SessionController, GRID_RESOLUTION } from "../src/session.js";
import { _resetClients } from "../src/protocol.js";
import { canonicalConfig, configKey } from "../src/first-view.js";

const TRACE = { events: [{ kind: "z", value: [0.5] }], indices: [0] };
const CONFIG = { hidden: [3] };
const FILE = {
  version: 1, config: canonicalConfig(CONFIG, "es"), grid: GRID_RESOLUTION, indices: [0],
  before: { epoch: 0, steps: 0, loss: 0.7, data_version: 1, data: { name: "circle" }, grid: { resolution: GRID_RESOLUTION, values: "" } },
  trace: TRACE,
  after: { epoch: 0, steps: 1, loss: 0.6, data_version: 1, grid: { resolution: GRID_RESOLUTION, values: "" } },
  saved: { before: { shipped: 0 }, after: { shipped: 1 } },
};

// The bundle's first-view/ folder, served by a stand-in fetch.
function serve(file) {
  const key = configKey(file.config);
  const asked = [];
  globalThis.fetch = async (url) => {
    const name = String(url).split("/").pop();
    asked.push(name);
    const body = name === "index.json" ? [key] : name === `${key}.json` ? file : null;
    return { ok: body !== null, json: async () => body };
  };
  return asked;
}

// A worker whose init waits for release(); the engine's replies to the rest.
function slowWorker(engineTrace = TRACE) {
  const seen = [];
  let release;
  const ready = new Promise((resolve) => { release = resolve; });
  let steps = 0;
  class FakeWorker {
    postMessage(msg) {
      seen.push(msg);
      const answer = (r) => queueMicrotask(() => this.onmessage({ data: { id: msg.id, ok: true, result: r } }));
      if (msg.cmd === "init") return ready.then(() => answer({}));
      const replies = {
        create: () => ({ epoch: 0, steps: 0, data_version: 1, data: { name: "circle" } }),
        save: () => ({ state: { engine: steps } }),
        trace: () => { steps++; return { trace: engineTrace, snapshot: {} }; },
        load: () => { steps = msg.args.state.engine; return {}; },
        snapshot: () => ({ epoch: 0, steps, data_version: 1 }),
      };
      answer((replies[msg.cmd] || (() => ({})))());
    }
    terminate() {}
  }
  globalThis.Worker = FakeWorker;
  return { seen, release };
}

const listener = { pending() {}, stopped() {}, fatal() {}, refused() {} };
const OPTIONS = { workerUrl: "/w.js", bundleUrl: "http://site.test/b/", id: "w1", config: CONFIG, lang: "es" };
const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => _resetClients());

test("the first view answers the first step at once; the engine takes over where the reader is", async () => {
  serve(FILE);
  const { seen, release } = slowWorker();
  const c = new SessionController(listener);
  const drawn = [];
  const started = c.start(OPTIONS, () => {}, (snap) => drawn.push(snap));
  while (!drawn.length) await tick();
  assert.equal(drawn[0].loss, 0.7);
  assert.deepEqual(drawn[0].data, { name: "circle" });
  // The stepper's recording: save, trace, save, load the state before.
  const before = (await c.call("save", {})).state;
  assert.equal((await c.call("trace", { indices: [0] })).trace, TRACE);
  const after = (await c.call("save", {})).state;
  await c.call("load", { state: before });
  // Only create (its reply is the snapshot to draw) and the take-over's save go out with the
  // load (the worker runs them once the engine is imported): none of the reader's replayed calls.
  assert.deepEqual(seen.map((m) => m.cmd), ["init", "create", "save"], "nothing else reached the engine yet");
  assert.equal(seen[1].args.grid, GRID_RESOLUTION, "create's reply has every neuron's grid");
  // The replay reaches the update: the state after, then a change that must wait.
  await c.call("load", { state: after });
  assert.equal((await c.fetchSnapshot()).loss, 0.6);
  let trained = false;
  const training = c.call("train", { epochs: 1 }).then(() => { trained = true; });
  await tick();
  assert.ok(!trained);
  release();
  const snap = await started;
  await training;
  assert.ok(c.keptFirstStep);
  const cmds = seen.map((m) => m.cmd).filter((m) => m !== "init");
  assert.deepEqual(cmds.slice(0, 4), ["create", "save", "trace", "save"], "the engine took the same step");
  assert.ok(!cmds.slice(4).includes("load") || cmds.indexOf("load") > cmds.indexOf("train"), "it stays after the update, where the replay is");
  assert.equal(snap.steps, 1);
  assert.ok(trained);
  // A state handed out before is the engine's own now.
  await c.call("load", { state: before });
  assert.deepEqual(seen.at(-1).args.state, { engine: 0 });
});

test("an engine with other numbers does not keep the replayed step", async () => {
  serve(FILE);
  const { release } = slowWorker({ events: [{ kind: "z", value: [0.51] }], indices: [0] });
  const c = new SessionController(listener);
  let drawn = false;
  const started = c.start(OPTIONS, () => {}, () => { drawn = true; });
  while (!drawn) await tick();
  await c.call("save", {});
  await c.call("trace", { indices: [0] });
  release();
  const snap = await started;
  assert.ok(!c.keptFirstStep);
  assert.equal(snap.steps, 0, "the step is forgotten: the engine is back before it");
});

test("a config without a file asks only for the index and loads as before", async () => {
  const asked = serve({ ...FILE, config: canonicalConfig({ hidden: [5] }, "es") });
  const { seen, release } = slowWorker();
  const c = new SessionController(listener);
  let drawn = false;
  // Another bundle: the index is fetched once per bundle and page.
  const started = c.start({ ...OPTIONS, bundleUrl: "http://other.test/b/" }, () => {}, () => { drawn = true; });
  await tick();
  release();
  const snap = await started;
  assert.ok(!drawn);
  // create's snapshot is the one shown: no save, no second snapshot.
  assert.deepEqual(seen.map((m) => m.cmd), ["init", "create"]);
  assert.equal(snap.steps, 0);
  assert.deepEqual(asked, ["index.json"]);
  assert.equal(c.firstView, null);
});

test("a file the page preloads is fetched at once, without the index", async () => {
  const asked = serve(FILE);
  const bundleUrl = "http://preload.test/b/";
  const href = new URL(`first-view/${configKey(FILE.config)}.json`, bundleUrl).href;
  globalThis.document = { querySelectorAll: (sel) => (sel.includes('rel="preload"') ? [{ href }] : []) };
  try {
    const { release } = slowWorker();
    const c = new SessionController(listener);
    let drawn = null;
    const started = c.start({ ...OPTIONS, bundleUrl }, () => {}, (snap) => { drawn = snap; });
    await tick();
    assert.equal(drawn?.loss, 0.7, "the first view is drawn before the engine runs");
    release();
    await started;
    assert.deepEqual(asked, [`${configKey(FILE.config)}.json`]);
  } finally {
    delete globalThis.document;
  }
});

test("a first view the reader left alone: create's snapshot is the engine's, after one save", async () => {
  serve(FILE);
  const { seen, release } = slowWorker();
  const c = new SessionController(listener);
  let drawn = null;
  const started = c.start(OPTIONS, () => {}, (snap) => { drawn = snap; });
  while (!drawn) await tick();
  release();
  const snap = await started;
  assert.deepEqual(seen.map((m) => m.cmd), ["init", "create", "save"], "no second snapshot");
  assert.equal(snap.steps, 0);
  assert.deepEqual(snap.data, { name: "circle" });
  // The state the first view handed out before is the engine's saved one.
  await c.call("load", { state: FILE.saved.before });
  assert.deepEqual(seen.at(-1).args.state, { engine: 0 });
});
