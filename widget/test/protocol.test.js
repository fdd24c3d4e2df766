import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import {
  isKnownCommand, makeRequest, isReply, isSnapshotMessage, isProgress, WorkerClient, getClient, clientCount, _resetClients, WidgetError,
} from "../src/protocol.js";
import { CONTRACT } from "../src/contract.js";

// A fake Worker: records posted messages; the test answers through `reply`.
class FakeWorker {
  static instances = [];
  constructor(url) {
    this.url = url;
    this.posted = [];
    this.terminated = false;
    FakeWorker.instances.push(this);
  }
  postMessage(msg) { this.posted.push(msg); }
  terminate() { this.terminated = true; }
  reply(msg) { this.onmessage({ data: msg }); }
  last() { return this.posted[this.posted.length - 1]; }
}

beforeEach(() => {
  _resetClients();
  FakeWorker.instances = [];
});

test("the known commands are the contract's: the engine's and the worker's own", () => {
  for (const cmd of ["create", "set_config", "reset", "train", "snapshot", "trace", "add_point", "remove_point",
    "load_csv", "gradient_check", "landscape", "save", "load", "destroy", "init", "start_training", "stop_training"]) {
    assert.ok(isKnownCommand(cmd), cmd);
  }
  for (const cmd of Object.keys(CONTRACT.commands)) assert.ok(isKnownCommand(cmd), cmd);
  for (const cmd of ["toString", "constructor", "rm -rf", ""]) assert.ok(!isKnownCommand(cmd), cmd);
});

test("requests use the {id, session, cmd, args} envelope and refuse unknown commands", () => {
  assert.deepEqual(makeRequest(3, "s", "train", { epochs: 2 }), { id: 3, session: "s", cmd: "train", args: { epochs: 2 } });
  assert.deepEqual(makeRequest(4, "s", "reset"), { id: 4, session: "s", cmd: "reset", args: {} });
  assert.throws(() => makeRequest(1, "s", "rm -rf"), TypeError);
});

test("message classification", () => {
  assert.ok(isReply({ id: 1, ok: true, result: {} }));
  assert.ok(!isReply({ session: "a", snapshot: {} }));
  assert.ok(isSnapshotMessage({ session: "a", snapshot: {} }));
  assert.ok(isSnapshotMessage({ session: "a", error: {}, training: false }));
  assert.ok(!isSnapshotMessage({ id: 2, session: "a", ok: true }));
  assert.ok(isProgress({ progress: "pyodide" }));
});

test("the client sends init first with the bundle URL, then resolves calls by id", async () => {
  const c = new WorkerClient("/w.js", "/b/", FakeWorker);
  const w = FakeWorker.instances[0];
  assert.equal(w.url, "/w.js");
  assert.deepEqual(w.posted[0], { id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  w.reply({ id: 1, ok: true, result: { pyodide: "0.27.7" } });
  await c.ready;
  const p1 = c.call("s1", "train", { epochs: 1 });
  const p2 = c.call("s1", "snapshot", { grid: 4 });
  const [m1, m2] = w.posted.slice(1);
  // Replies may come in any order; each promise gets its own.
  const values = new Float32Array([1, 2, 3, 4]);
  w.reply({ id: m2.id, ok: true, result: { epoch: 5, grid: { resolution: 2 } }, buffer: values });
  w.reply({ id: m1.id, ok: true, result: { epoch: 4 } });
  assert.equal((await p1).epoch, 4);
  const snap = await p2;
  assert.equal(snap.epoch, 5);
  assert.equal(snap.grid.values, values, "the grid buffer is attached to the grid it describes");
});

test("an engine refusal rejects with its code, Spanish message and field", async () => {
  const c = new WorkerClient("/w.js", "/b/", FakeWorker);
  const w = FakeWorker.instances[0];
  w.reply({ id: 1, ok: true, result: {} });
  const p = c.call("s", "set_config", { partial: { learning_rate: 0 } });
  w.reply({ id: w.last().id, ok: false, error: { code: "invalid_learning_rate", message: "La tasa…", field: "learning_rate" } });
  await assert.rejects(p, (e) => e instanceof WidgetError && e.code === "invalid_learning_rate" && e.message === "La tasa…" && e.field === "learning_rate");
  assert.equal(c.failed, null, "a refusal does not poison the worker");
});

test("a failed init poisons the client; getClient then starts a fresh worker", async () => {
  const c = getClient("/w.js", "/bad/", FakeWorker);
  assert.equal(getClient("/w.js", "/bad/", FakeWorker), c, "one worker per page");
  assert.equal(clientCount(), 1);
  const w = FakeWorker.instances[0];
  w.reply({ id: 1, ok: false, error: { code: "load_failed", message: "No se ha podido cargar Python" } });
  await assert.rejects(c.ready, (e) => e.code === "load_failed");
  await assert.rejects(c.call("s", "snapshot"), (e) => e.code === "load_failed");
  const c2 = getClient("/w.js", "/bad/", FakeWorker);
  assert.notEqual(c2, c);
  assert.ok(w.terminated);
  assert.equal(FakeWorker.instances.length, 2);
});

test("a crashing worker script rejects pending calls with worker_failed", async () => {
  const c = new WorkerClient("/missing.js", "/b/", FakeWorker);
  const w = FakeWorker.instances[0];
  let prevented = false;
  w.onerror({ message: "404", preventDefault: () => { prevented = true; } });
  await assert.rejects(c.ready, (e) => e.code === "worker_failed");
  assert.ok(prevented);
});

test("unsolicited snapshots reach their own session's listener only, with the buffer", () => {
  const c = new WorkerClient("/w.js", "/b/", FakeWorker);
  const w = FakeWorker.instances[0];
  const got = { a: [], b: [] };
  c.subscribe("a", (m) => got.a.push(m));
  c.subscribe("b", (m) => got.b.push(m));
  const buf = new Float32Array(4);
  w.reply({ session: "a", snapshot: { epoch: 9, grid: { resolution: 2 } }, buffer: buf, training: true });
  assert.equal(got.a.length, 1);
  assert.equal(got.b.length, 0);
  assert.equal(got.a[0].snapshot.grid.values, buf);
  c.unsubscribe("a");
  w.reply({ session: "a", snapshot: { epoch: 10 } });
  assert.equal(got.a.length, 1);
});

test("acknowledge tells the worker how many live snapshots the page took, with the frame's time", () => {
  const c = new WorkerClient("/w.js", "/b/", FakeWorker);
  const w = FakeWorker.instances[0];
  w.reply({ session: "a", snapshot: { epoch: 9 }, training: true });
  assert.ok(!w.posted.some((m) => "drawn" in m), "arriving is not being drawn");
  c.acknowledge("a", 2);
  const acks = w.posted.filter((m) => "drawn" in m);
  assert.deepEqual(acks.map((m) => m.drawn), ["a", "a"]);
  // When the page took them, on the clock the worker reads too (ms since the Unix epoch).
  assert.ok(acks.every((m) => Math.abs(m.at - Date.now()) < 1000), JSON.stringify(acks));
  // Dropped outside a frame: no time, which would mislead the worker about the page's frames.
  c.acknowledge("a", 1, false);
  assert.deepEqual(w.posted.at(-1), { drawn: "a" });
  // A client whose worker is gone sends nothing.
  c.terminate();
  c.acknowledge("a");
  assert.equal(w.posted.filter((m) => "drawn" in m).length, 3);
});

test("the bytes downloaded reach the progress listeners with their stage", () => {
  const c = new WorkerClient("/w.js", "/b/", FakeWorker);
  const w = FakeWorker.instances[0];
  const seen = [];
  c.onProgress((stage, bytes) => seen.push([stage, bytes]));
  w.reply({ progress: "pyodide" });
  w.reply({ progress: "pyodide", loaded: 3200000, total: 9800000 });
  assert.deepEqual(seen, [["start", null], ["pyodide", null], ["pyodide", { loaded: 3200000, total: 9800000 }]]);
});

test("progress stages are broadcast and the latest is replayed to late listeners", () => {
  const c = new WorkerClient("/w.js", "/b/", FakeWorker);
  const w = FakeWorker.instances[0];
  w.reply({ progress: "packages" });
  const seen = [];
  c.onProgress((s) => seen.push(s));
  w.reply({ progress: "engine" });
  assert.deepEqual(seen, ["packages", "engine"]);
});

test("without Worker support the client fails with 'unsupported'", async () => {
  const c = new WorkerClient("/w.js", "/b/", undefined);
  await assert.rejects(c.ready, (e) => e.code === "unsupported");
});

// Answers init, then every save with a state naming the epoch the fake engine is at.
function liveClient() {
  const c = new WorkerClient("/w.js", "/b/", FakeWorker);
  FakeWorker.instances[0].reply({ id: 1, ok: true, result: {} });
  return c;
}

test("restart() rejects pending calls, starts a new worker and restores each session from its last save", async () => {
  const c = liveClient();
  await c.ready;
  const w = FakeWorker.instances[0];
  const created = c.call("s", "create", { config: { hidden: [3] } });
  w.reply({ id: w.last().id, ok: true, result: { epoch: 0 } });
  await created;
  const saved = c.call("s", "save", {});
  w.reply({ id: w.last().id, ok: true, result: { state: { format: "backprop-session", epoch: 7 } } });
  await saved;
  // The test saved by hand; the client keeps what its own saves return (simulate one).
  c.sessions.get("s").state = { format: "backprop-session", epoch: 7 };
  const seen = [];
  c.subscribe("s", (m) => seen.push(m));
  const hanging = c.call("s", "train", { epochs: 5 });
  const restarted = c.restart("test");
  await assert.rejects(hanging, (e) => e.code === "worker_lost");
  assert.ok(w.terminated, "the old worker is terminated");
  assert.equal(seen[0].lost, true);
  const w2 = FakeWorker.instances[1];
  assert.equal(w2.posted[0].cmd, "init");
  w2.reply({ id: w2.posted[0].id, ok: true, result: {} });
  await new Promise((r) => setTimeout(r, 0));
  const load = w2.last();
  assert.equal(load.cmd, "load");
  assert.deepEqual(load.args.state, { format: "backprop-session", epoch: 7 });
  w2.reply({ id: load.id, ok: true, result: { epoch: 7 } });
  await restarted;
  assert.equal(seen[1].restored, true);
  assert.equal(seen[1].result.epoch, 7);
});

test("a worker error after loading restarts by itself once; a second one within a minute fails", async () => {
  const c = liveClient();
  await c.ready;
  FakeWorker.instances[0].onerror({ message: "out of memory" });
  assert.equal(FakeWorker.instances.length, 2, "a new worker started by itself");
  const w2 = FakeWorker.instances[1];
  w2.reply({ id: w2.posted[0].id, ok: true, result: {} });
  await c.ready;
  w2.onerror({ message: "out of memory" });
  assert.equal(FakeWorker.instances.length, 2);
  await assert.rejects(c.call("s", "snapshot"), (e) => e.code === "worker_lost");
});
