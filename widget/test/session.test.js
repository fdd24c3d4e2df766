// The session controller with a fake Worker behind the real protocol client: loading, the data
// cache, snapshot merging and the training state, without a browser.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { SessionController, engineMessage, GRID_RESOLUTION, LIVE_GRID, LIVE_HIDDEN_GRID } from "../src/session.js";
import { _resetClients } from "../src/protocol.js";

// The page's prefers-reduced-motion query, as frames.js reads it (once, then its .matches).
const motion = { matches: false };
globalThis.matchMedia = () => motion;

// Answers every request at once: init, create (the snapshot, with the data and, asked, a grid),
// snapshot (with a grid), the rest from `replies` (cmd -> result or {error}).
function fakeWorker(replies = {}) {
  const seen = [];
  const reply = (cmd, args) => (typeof replies[cmd] === "function" ? replies[cmd](args) : replies[cmd]);
  const snapshot = (args) => reply("snapshot", args) || { epoch: 0, data_version: 1, grid: args?.grid ? { resolution: args.grid } : undefined };
  class FakeWorker {
    constructor() { FakeWorker.instance = this; }
    postMessage(msg) {
      seen.push(msg);
      const answer = (m) => queueMicrotask(() => this.onmessage({ data: m }));
      let r = reply(msg.cmd, msg.args);
      if (msg.cmd === "init") r = {};
      if (msg.cmd === "create" && !r) r = { ...snapshot(msg.args), data: { name: "circle" } };
      if (msg.cmd === "snapshot" && !r) r = snapshot(msg.args);
      if (r?.error) answer({ id: msg.id, ok: false, error: r.error });
      else answer({ id: msg.id, ok: true, result: r ?? {} });
    }
    terminate() {}
  }
  globalThis.Worker = FakeWorker;
  return { seen, FakeWorker };
}

function controller() {
  const events = [];
  const c = new SessionController({
    pending: () => events.push("pending"),
    stopped: () => events.push("stopped"),
    fatal: (e) => events.push(`fatal:${e.code}`),
    refused: (e) => events.push(`refused:${e.code}`),
  });
  return { c, events };
}

const OPTIONS = { workerUrl: "/w.js", bundleUrl: "/b/", id: "w1", config: { hidden: [3] }, lang: "en" };

beforeEach(() => _resetClients());

test("start creates the session with the config and returns a complete first snapshot", async () => {
  const { seen } = fakeWorker();
  const { c } = controller();
  const stages = [];
  const snap = await c.start(OPTIONS, (s) => stages.push(s));
  assert.ok(c.open);
  const create = seen.find((m) => m.cmd === "create");
  assert.deepEqual(create.args, { config: { hidden: [3], lang: "en" }, grid: GRID_RESOLUTION }, "the page's language goes with the config");
  assert.deepEqual(seen.map((m) => m.cmd), ["init", "create"], "create's reply is the first snapshot");
  assert.match(create.session, /^w1#\d+$/);
  assert.deepEqual(snap.data, { name: "circle" }, "the data of create fill the snapshot that left them out");
  assert.equal(snap.grid.resolution, GRID_RESOLUTION);
  assert.equal(c.snapshot, snap);
  assert.equal(stages.at(-1), "session");
});

test("unsolicited snapshots: only the newest is handed out, merged with the cached data and grid", async () => {
  const { FakeWorker } = fakeWorker();
  const { c, events } = controller();
  await c.start(OPTIONS);
  const session = c.session;
  const post = (m) => FakeWorker.instance.onmessage({ data: { session, ...m } });
  post({ snapshot: { epoch: 3, data_version: 1 }, training: true });
  post({ snapshot: { epoch: 5, data_version: 1 }, training: true });
  assert.deepEqual(events, ["pending", "pending"]);
  const snap = c.takePending();
  assert.equal(snap.epoch, 5);
  assert.deepEqual(snap.data, { name: "circle" });
  assert.equal(snap.grid.resolution, GRID_RESOLUTION, "the last grid is kept");
  assert.equal(c.takePending(), null);
  // New data version without data: the old data are not pasted onto it.
  post({ snapshot: { epoch: 6, data_version: 2 } });
  assert.equal(c.takePending().data, undefined);
  // A diverged snapshot does not inherit the last grid.
  post({ snapshot: { epoch: 7, data_version: 1, status: "diverged" } });
  assert.equal(c.takePending().grid, undefined);
});

test("while training a frame draws the older of two live snapshots and keeps the newer for the next", async () => {
  const { FakeWorker, seen } = fakeWorker({ start_training: { training: true }, stop_training: { training: false } });
  const { c } = controller();
  await c.start(OPTIONS);
  await c.startTraining();
  const post = (epoch) => FakeWorker.instance.onmessage({ data: { session: c.session, snapshot: { epoch, data_version: 1 }, training: true } });
  const acks = () => seen.filter((m) => "drawn" in m);
  post(3);
  post(5);
  assert.equal(acks().length, 0, "arriving is not being drawn");
  assert.equal(c.takePending().epoch, 3, "the older; the newer is the reserve");
  assert.equal(c.snapshot.epoch, 3, "what is drawn is the controller's snapshot");
  assert.ok(c.hasPending);
  assert.deepEqual(acks().map((m) => m.drawn), [c.session]);
  assert.equal(c.takePending().epoch, 5, "the next frame draws the reserve, even with nothing new");
  assert.equal(c.takePending(), null);
  // Three waiting (a page that drew nothing for a while): two are taken, the newest kept.
  post(6); post(7); post(8);
  assert.equal(c.takePending().epoch, 7);
  assert.equal(acks().length, 4, "the one passed over is acknowledged too");
  // With reduced motion a frame comes every half second: it draws the newest, keeps none.
  motion.matches = true;
  try {
    post(9);
    assert.equal(c.takePending().epoch, 9);
    assert.ok(!c.hasPending);
  } finally {
    motion.matches = false;
  }
  // A full snapshot overtakes the live ones still waiting; they are acknowledged, with no time.
  post(10);
  await c.stopTraining();
  assert.ok(!c.hasPending);
  assert.deepEqual(acks().at(-1), { drawn: c.session });
  assert.equal(acks().length, 7);
});

test("training state: start, the worker stopping by itself, stop returning a full snapshot", async () => {
  let fullEpoch = 0;
  const { FakeWorker, seen } = fakeWorker({
    start_training: { training: true }, stop_training: { training: false },
    snapshot: () => ({ epoch: fullEpoch, data_version: 1, grid: { resolution: GRID_RESOLUTION } }),
  });
  const { c, events } = controller();
  await c.start(OPTIONS);
  await c.startTraining();
  assert.equal(c.training, true);
  assert.deepEqual(seen.find((m) => m.cmd === "start_training").args,
    { grid: LIVE_GRID, live: { hidden_grid: LIVE_HIDDEN_GRID, parts: [] } });
  FakeWorker.instance.onmessage({ data: { session: c.session, snapshot: { epoch: 9, status: "diverged" }, training: false } });
  assert.equal(c.training, false);
  assert.deepEqual(events, ["pending", "stopped"]);
  await c.startTraining();
  FakeWorker.instance.onmessage({ data: { session: c.session, snapshot: { epoch: 12 }, training: true } });
  fullEpoch = 13;
  const last = await c.stopTraining();
  assert.equal(last.epoch, 13, "after stop, the engine's full snapshot, not the last live one");
  assert.equal(seen.at(-1).cmd, "snapshot");
  assert.equal(c.takePending(), null);
  assert.equal(c.training, false);
});

test("live snapshots are merged as they arrive: every history delta counts, even undrawn ones", async () => {
  const { FakeWorker } = fakeWorker({
    snapshot: { epoch: 2, data_version: 1, config: { hidden: [3] }, diagnostics: { ok: 1 },
      history: { epoch: [0, 1, 2], loss: [3, 2, 1], val_loss: [4, 3, 2] },
      network: { sizes: [2, 3, 1], weights: [[[1, 1]], [[1, 1, 1]]], activations: ["tanh", "sigmoid"], grad_weights: [[[0, 0]]] },
      grid: { resolution: GRID_RESOLUTION } },
  });
  const parts = [];
  const c = new SessionController({ pending() {}, stopped() {}, fatal() {}, refused() {}, liveParts: () => parts });
  await c.start(OPTIONS);
  const live = (epochs, extra = {}) => ({
    live: true, epoch: epochs.at(-1), data_version: 1, network: { sizes: [2, 3, 1], weights: [[[epochs.at(-1)]]] },
    history_delta: { epoch: epochs, loss: epochs.map((e) => 1 / e), val_loss: epochs.map(() => null) }, history_max_points: 500, ...extra,
  });
  const post = (snapshot) => FakeWorker.instance.onmessage({ data: { session: c.session, snapshot, training: true } });
  post(live([2, 3, 4]));
  post(live([5, 6]));
  const snap = c.takePending();
  assert.deepEqual(snap.history.epoch, [0, 1, 2, 3, 4, 5, 6], "epoch 2 was already there; 3 and 4 were never drawn");
  assert.deepEqual(snap.history.loss.slice(-2), [1 / 5, 1 / 6]);
  assert.deepEqual(snap.config, { hidden: [3] }, "what the live snapshot leaves out is kept");
  assert.deepEqual(snap.diagnostics, { ok: 1 });
  assert.deepEqual(snap.network.activations, ["tanh", "sigmoid"]);
  assert.deepEqual(snap.network.weights, [[[6]]]);
  assert.equal(snap.network.grad_weights, undefined, "old gradients are not drawn next to new weights");
  assert.deepEqual(snap.data, { name: "circle" });
  assert.equal(snap.grid.resolution, GRID_RESOLUTION, "the last grid is kept until a live one comes");
  // A rebuilt network: a whole history replaces the old one, and the old diagnostics go.
  post({ ...live([0]), network: { sizes: [2, 5, 1], weights: [] }, history: { epoch: [0], loss: [9], val_loss: [9] } });
  const rebuilt = c.takePending();
  assert.deepEqual(rebuilt.history.epoch, [0]);
  assert.equal(rebuilt.diagnostics, undefined);
  assert.equal(rebuilt.network.activations, undefined);
});

test("a refusal rejects with the engine's message in the session's language, code and field", async () => {
  const error = { code: "invalid_learning_rate", message: "La tasa…", message_en: "The rate…", field: "learning_rate" };
  fakeWorker({ set_config: { error } });
  const { c } = controller();
  await c.start(OPTIONS);
  const before = c.snapshot;
  await assert.rejects(c.call("set_config", { partial: { learning_rate: 0 } }),
    (e) => e.message === "The rate…" && e.code === "invalid_learning_rate" && e.field === "learning_rate");
  assert.equal(c.snapshot, before);
  assert.equal(engineMessage(error, "es"), "La tasa…");
  assert.equal(engineMessage({}, "en"), "Invalid value.");
});

test("a failed start rejects; a start superseded by close() resolves null", async () => {
  fakeWorker({ create: { error: { code: "invalid_config", message: "x" } } });
  const { c } = controller();
  await assert.rejects(c.start(OPTIONS), (e) => e.code === "invalid_config");
  _resetClients();
  fakeWorker();
  const { c: d } = controller();
  const p = d.start(OPTIONS);
  d.close();
  assert.equal(await p, null);
  assert.equal(d.open, false);
});

test("train(n) is sliced into short calls; the last brings the full snapshot", async () => {
  let epoch = 0;
  const { seen } = fakeWorker({
    train: (a) => {
      epoch += a.epochs;
      return a.snapshot === "none" ? { epoch, status: "ok" } : { epoch, data_version: 1, grid: { resolution: a.grid } };
    },
  });
  const { c } = controller();
  await c.start(OPTIONS);
  const snap = await c.train(500);
  const calls = seen.filter((m) => m.cmd === "train");
  assert.ok(calls.length >= 2, "more than one call");
  assert.equal(calls[0].args.epochs, 8, "the first call is a short probe");
  assert.equal(calls.reduce((sum, m) => sum + m.args.epochs, 0), 500, "exactly the epochs asked for");
  assert.ok(calls.slice(0, -1).every((m) => m.args.snapshot === "none"), "only the last call builds a snapshot");
  assert.equal(snap.epoch, 500);
  assert.equal(snap.grid.resolution, GRID_RESOLUTION);
});

test("cancelTrain between two calls stops train(n) and returns the state reached", async () => {
  let epoch = 0;
  let c;
  const { seen } = fakeWorker({
    train: (a) => {
      epoch += a.epochs;
      c.cancelTrain(); // as pause() would, while the first call runs
      return { epoch, status: "ok" };
    },
    snapshot: () => ({ epoch, data_version: 1, grid: { resolution: GRID_RESOLUTION } }),
  });
  ({ c } = controller());
  await c.start(OPTIONS);
  const snap = await c.train(500);
  assert.equal(seen.filter((m) => m.cmd === "train").length, 1);
  assert.equal(snap.epoch, 8);
});
