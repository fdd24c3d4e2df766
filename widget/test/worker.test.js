// The classic worker script run in a vm context with a fake `self`, a fake Pyodide and a fake
// clock, so its protocol handling and training loop are tested without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

import { CONTRACT } from "../src/contract.js";

const SOURCE = readFileSync(new URL("../src/worker.js", import.meta.url), "utf8");
const WORKER_URL = "http://localhost/widget/src/worker.js";
// The parts worker.js loads with importScripts (worker/*.js), read from the sources.
const PARTS = vm.runInNewContext(`${SOURCE.match(/const WORKER_PARTS = (\[[^\]]*\]);/)[1]}`);
const partSource = (part) => readFileSync(new URL(`../src/${part}`, import.meta.url), "utf8");
const utf8Proxy = (text) => ({ toJs: () => new TextEncoder().encode(text), destroy() {} });

// cost: simulated milliseconds of a train call = overhead + epochs * perEpoch; of a live
// snapshot, snapshotMs; each varied by up to ±jitter of itself (a fixed pseudo-random sequence).
// The fake page takes every snapshot to draw at once ({drawn}) unless autoAck is false.
function startWorker({ overhead = 0.2, perEpoch = 2, snapshotMs = 2, jitter = 0, failImport = false, divergeAt = Infinity, autoAck = true, download = 0, stallEvery = 0, stallMs = 0 } = {}) {
  const fetched = [];
  const pyodideOptions = [];
  let clock = 0;
  let seed = 1;
  const vary = (ms) => {
    seed = (seed * 48271) % 2147483647;
    return ms * (1 + jitter * (2 * (seed / 2147483647) - 1));
  };
  const posted = [];
  const calls = [];
  const ran = []; // epochs each train call ran
  let epoch = 0;
  const fakePyodide = {
    version: "fake",
    loadPackage: async () => {},
    runPython: () => {},
    globals: {
      // _bp_call answers its reply's JSON as UTF-8 bytes (a proxy of a Python bytes object).
      get: (name) => (name === "_bp_call"
        ? (...a) => utf8Proxy(engine(...a))
        : () => ({ toJs: () => new Uint8Array(new Float32Array([0.25, 0.75]).buffer), destroy() {} })),
    },
  };
  function engine(session, cmd, argsJson) {
    const args = JSON.parse(argsJson);
    calls.push({ session, cmd, args });
    const status = () => (epoch >= divergeAt ? "diverged" : "ok");
    if (cmd === "train") {
      // With budget_ms, as the engine: no epoch that would end past the budget, one at least.
      const cost = vary(overhead + args.epochs * perEpoch) / args.epochs;
      let n = 1;
      while (n < args.epochs && !(args.budget_ms !== undefined && (n + 1) * cost > args.budget_ms)) n++;
      clock += n * cost;
      epoch += n;
      ran.push(n);
      // The system holds the worker up now and then (two cores shared with the page).
      if (stallEvery && ran.length % stallEvery === 0) clock += stallMs;
      return JSON.stringify({ ok: true, result: { epoch, epochs_run: n, status: status(), grid: args.grid ? { resolution: args.grid } : undefined } });
    }
    if (cmd === "snapshot" && args.live) {
      clock += vary(snapshotMs);
      return JSON.stringify({ ok: true, result: { live: true, epoch, status: status(), history_cursor: [1, epoch + 1], grid: args.grid ? { resolution: args.grid } : undefined } });
    }
    if (cmd === "set_config") {
      return JSON.stringify({ ok: false, error: { code: "invalid_learning_rate", message: "La tasa de aprendizaje debe ser un número mayor que 0.", field: "learning_rate" } });
    }
    return JSON.stringify({ ok: true, result: { epoch } });
  }
  const self = {
    postMessage: (msg) => {
      posted.push(msg);
      if (msg.snapshot && autoAck) setTimeout(() => self.onmessage({ data: { drawn: msg.session } }), 0);
    },
    // Pyodide downloads its runtime with fetch: the fake reads one file of `download` bytes.
    loadPyodide: async (options) => {
      pyodideOptions.push(options);
      if (download) fetched.push((await (await self.fetch("/b/pyodide.asm.wasm")).arrayBuffer()).byteLength);
      return fakePyodide;
    },
    location: { href: WORKER_URL },
  };
  if (download) {
    self.fetch = async () => new Response(new Uint8Array(download), { headers: { "Content-Length": String(download), "Content-Type": "application/wasm" } });
  }
  const context = {
    self,
    URL,
    Response,
    ReadableStream,
    TextDecoder,
    performance: { now: () => clock },
    setTimeout,
    console,
  };
  // The worker's own parts run in its scope, as importScripts does; Pyodide's script is faked.
  self.importScripts = (...urls) => {
    for (const url of urls) {
      const part = PARTS.find((p) => url === new URL(p, WORKER_URL).href);
      if (part) vm.runInContext(partSource(part), context, { filename: part });
      else if (failImport) throw new Error(`cannot load ${url}`);
    }
  };
  context.importScripts = self.importScripts;
  vm.createContext(context);
  vm.runInContext(SOURCE, context);
  const send = (msg) => self.onmessage({ data: msg });
  return { send, posted, calls, ran, context, fetched, pyodideOptions };
}

// Objects made inside the vm context have another realm's prototypes: compare as JSON.
const plain = (x) => JSON.parse(JSON.stringify(x));
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
// Waits for what a test needs rather than a fixed time, so a busy machine slows it, never fails it.
async function until(done, what, ms = 10000) {
  for (const end = Date.now() + ms; !done(); await tick(2)) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
  }
}
const replied = (w, id) => until(() => w.posted.some((m) => m.id === id), `reply ${id}`);

test("init loads Pyodide from the bundle URL and reports the loading stages", async () => {
  const w = startWorker();
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  await replied(w, 1);
  assert.deepEqual(w.posted.filter((m) => m.progress).map((m) => m.progress), ["pyodide", "packages", "engine"]);
  assert.deepEqual(plain(w.posted.at(-1)), { id: 1, ok: true, result: { pyodide: "fake" } });
  // numpy and the engine are named to loadPyodide, so their wheels download while it starts.
  assert.deepEqual(plain(w.pyodideOptions), [{ indexURL: "/b/", packages: ["numpy", "backprop"] }]);
});

test("the bytes Pyodide downloads are counted against their Content-Length and reported", async () => {
  const w = startWorker({ download: 300000 });
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  await replied(w, 1);
  assert.deepEqual(w.fetched, [300000], "the body passes through whole");
  const bytes = w.posted.filter((m) => m.progress && m.total);
  assert.ok(bytes.length >= 2, JSON.stringify(bytes));
  assert.deepEqual(plain(bytes.filter((m) => m.progress === "pyodide").at(-1)), { progress: "pyodide", loaded: 300000, total: 300000 });
  assert.deepEqual(plain(bytes.at(-1)), { progress: "engine", loaded: 300000, total: 300000 }, "later stages keep the count");
  assert.ok(bytes.every((m, k) => k === 0 || m.loaded >= bytes[k - 1].loaded), "never backwards");
  assert.equal(w.posted.at(-1).ok, true);
  assert.equal(typeof w.context.self.fetch, "function");
});

test("a bundle that cannot be loaded replies load_failed in Spanish with the reason", async () => {
  const w = startWorker({ failImport: true });
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/nope/" } });
  await replied(w, 1);
  const reply = w.posted.at(-1);
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, "load_failed");
  assert.match(reply.error.message, /^No se ha podido cargar Python desde \/nope\/\.$/);
  assert.match(reply.error.detail, /cannot load \/nope\/pyodide\.js/);
});

test("commands are forwarded with their JSON args; the grid bytes come back as a Float32Array", async () => {
  const w = startWorker();
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  w.send({ id: 2, session: "s", cmd: "train", args: { epochs: 3, grid: 8 } });
  await replied(w, 2);
  assert.deepEqual(w.calls[0], { session: "s", cmd: "train", args: { epochs: 3, grid: 8 } });
  const reply = w.posted.find((m) => m.id === 2);
  assert.equal(reply.ok, true);
  assert.equal(reply.result.epoch, 3);
  assert.deepEqual(Array.from(reply.buffer), [0.25, 0.75]);
  // No grid, no payload: the worker does not ask Python for one.
  w.send({ id: 3, session: "s", cmd: "train", args: { epochs: 1, snapshot: "none" } });
  await replied(w, 3);
  assert.equal(w.posted.find((m) => m.id === 3).buffer, undefined);
});

test("an engine refusal is passed through with its code and Spanish message", async () => {
  const w = startWorker();
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  w.send({ id: 2, session: "s", cmd: "set_config", args: { partial: { learning_rate: 0 } } });
  await replied(w, 2);
  const reply = w.posted.find((m) => m.id === 2);
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, "invalid_learning_rate");
  assert.equal(reply.error.message, "La tasa de aprendizaje debe ser un número mayor que 0.", "UTF-8 both ways");
});

test("continuous training posts snapshots until stop_training, then nothing more", async () => {
  const w = startWorker();
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  w.send({ id: 2, session: "s", cmd: "start_training", args: { grid: 10, live: { hidden_grid: 4, parts: ["gradients"] } } });
  await until(() => w.posted.filter((m) => m.snapshot).length >= 3, "three snapshots");
  const snaps = w.posted.filter((m) => m.snapshot);
  assert.ok(snaps.length >= 3, `only ${snaps.length} snapshots`);
  assert.ok(snaps.every((m) => m.session === "s" && m.training === true));
  const epochs = snaps.map((m) => m.snapshot.epoch);
  assert.deepEqual(epochs, [...epochs].sort((a, b) => a - b));
  assert.ok(w.calls.every((c) => c.cmd !== "train" || c.args.snapshot === "none"), "training calls return no snapshot");
  const live = w.calls.filter((c) => c.cmd === "snapshot");
  assert.deepEqual(plain(live[0].args), { grid: 10, live: { hidden_grid: 4, parts: ["gradients"] } });
  assert.deepEqual(plain(live[1].args.live.since), [1, epochs[0] + 1], "the next one asks for the history since the last");
  w.send({ id: 3, session: "s", cmd: "stop_training", args: {} });
  await replied(w, 3);
  const count = w.posted.filter((m) => m.snapshot).length;
  await tick(30);
  assert.equal(w.posted.filter((m) => m.snapshot).length, count, "a slice ran after stop_training");
  assert.deepEqual(plain(w.posted.find((m) => m.id === 3).result), { training: false, was_training: true });
});

test("a diverged snapshot stops the loop by itself with training=false", async () => {
  const w = startWorker({ divergeAt: 5 });
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  w.send({ id: 2, session: "s", cmd: "start_training", args: {} });
  await until(() => w.posted.some((m) => m.snapshot && !m.training), "the loop to stop");
  await tick(20);
  const snaps = w.posted.filter((m) => m.snapshot);
  const last = snaps.at(-1);
  assert.equal(last.snapshot.status, "diverged");
  assert.equal(last.training, false);
  assert.equal(snaps.filter((m) => m.snapshot.status === "diverged").length, 1);
});

// Steps one job by hand on the simulated clock for `ms` milliseconds against a page whose
// animation frames come every `frameMs` (never, with frameMs null: a hidden tab). A snapshot
// reaches the page `deliverMs` after it was posted; each frame draws the older of two that
// arrived (the newer stays for the next frame; of more, the newest but one: session.js) and
// acknowledges every one it took, with the frame's time ({drawn, at}); the worker reads the
// acknowledgements between two steps.
function simulate(w, ms, { frameMs = 1000 / 60, deliverMs = 0.5, origin = 5000 } = {}) {
  w.context.performance.timeOrigin = origin;
  const job = {};
  const jobs = vm.runInContext("training", w.context);
  jobs.set("s", job);
  const clock = () => w.context.performance.now();
  const end = clock() + ms;
  const arriving = [];
  let frame = clock() + 7, frames = 0, drawn = 0, seen = 0;
  while (clock() < end) {
    w.context.stepJob("s", job);
    for (const n = w.posted.filter((m) => m.snapshot).length; seen < n; seen++) arriving.push(clock() + deliverMs);
    const acks = [];
    for (; frameMs && frame <= clock(); frame += frameMs) {
      frames += 1;
      const waiting = arriving.filter((t) => t <= frame).length;
      if (waiting === 0) continue;
      drawn += 1;
      for (const _ of arriving.splice(0, Math.max(1, waiting - 1))) acks.push(frame);
    }
    for (const t of acks) w.context.snapshotDrawn("s", origin + t);
  }
  jobs.delete("s");
  const work = w.posted.filter((m) => m.work).map((m) => m.work);
  const trainMs = work.reduce((t, m) => t + m.train_ms, 0);
  const snapMs = work.reduce((t, m) => t + m.snapshot_ms, 0);
  const trainCalls = w.calls.filter((c) => c.cmd === "train");
  return {
    job, snaps: seen, frames, drawn, trainShare: trainMs / ms, snapShare: snapMs / ms,
    epochs: w.ran.reduce((n, r) => n + r, 0),
    longest: Math.max(...w.ran),
  };
}

async function loaded(options) {
  const w = startWorker({ autoAck: false, ...options });
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  await replied(w, 1);
  return w;
}

test("pacing: every frame of the page draws a new snapshot, the rest of the time trains", async () => {
  // Calls of 1 ms plus the epochs, a snapshot 2.5 ms, both varying by ±30 %: at 60 a second
  // the snapshots take 15 % of the time; with fewer than two calls a frame (each ending when
  // the page's acknowledgement should be there) the epochs get at least 70 % (hand-computed).
  for (const perEpoch of [0.5, 2, 4, 6]) {
    const w = await loaded({ perEpoch, overhead: 1, snapshotMs: 2.5, jitter: 0.3 });
    const { frames, drawn, snaps, epochs, longest } = simulate(w, 2000);
    assert.ok(drawn >= 0.97 * frames, `${perEpoch} ms per epoch: ${drawn} of ${frames} frames drew a new snapshot`);
    assert.ok(snaps <= 1.02 * drawn, `${perEpoch} ms per epoch: ${snaps} posted for ${drawn} drawn`);
    const calls = w.calls.filter((c) => c.cmd === "train").length;
    assert.ok(calls <= 2 * snaps, `${perEpoch} ms per epoch: ${calls} training calls for ${snaps} snapshots`);
    assert.ok(epochs * perEpoch >= 0.7 * 2000, `${perEpoch} ms per epoch: only ${epochs * perEpoch} ms of epochs`);
    // SLICE_MS, with the cost of an epoch as the worker estimates it from varying calls.
    assert.ok(longest * perEpoch <= 16 * 1.3, `a training call of ${longest * perEpoch} ms`);
  }
});

test("pacing: a worker held up for most of a frame now and then still has a new snapshot for every frame", async () => {
  // Every tenth training call (about every fifth frame) the worker loses 14 ms: with no
  // snapshot in reserve at the page, the next would often come after the frame that needed it
  // (168 of 181 frames with AHEAD = 1).
  const w = await loaded({ perEpoch: 2, overhead: 1, snapshotMs: 2, stallEvery: 10, stallMs: 14 });
  const { frames, drawn } = simulate(w, 3000);
  assert.ok(drawn >= 0.98 * frames, `${drawn} of ${frames} frames drew a new snapshot`);
});

test("pacing: a page that draws slowly gets fewer snapshots and the epochs get the time", async () => {
  // The page draws 25 frames a second: each takes a new snapshot, none is posted in vain.
  const w = await loaded({ perEpoch: 1 });
  const { frames, drawn, snaps, trainShare, longest } = simulate(w, 2000, { frameMs: 40 });
  assert.ok(drawn >= 0.95 * frames, `${drawn} of ${frames} frames drew a new snapshot`);
  assert.ok(snaps <= drawn + 2, `${snaps} posted for ${drawn} drawn (one may wait in reserve, one on its way)`);
  assert.ok(trainShare >= 0.9, `epochs got ${trainShare}`);
  assert.ok(longest <= 16, `a training call of ${longest} ms`);
  // The worker learns the page's pace: its calls end when the page should acknowledge, so a
  // 40 ms frame takes three calls of at most 16 ms, not short ones while it waits.
  const calls = w.calls.filter((c) => c.cmd === "train").length;
  assert.ok(calls <= 3.2 * snaps, `${calls} training calls for ${snaps} snapshots`);
});

test("pacing: a page that draws nothing gets one snapshot a second", async () => {
  const w = await loaded({ perEpoch: 1 });
  const { snaps } = simulate(w, 3000, { frameMs: null });
  assert.ok(snaps >= 3 && snaps <= 4, `${snaps} snapshots in 3 s`);
});

test("pacing: a costly snapshot takes at most about 30 % of the worker's time", async () => {
  const w = await loaded({ perEpoch: 1, snapshotMs: 12 });
  const { snaps, snapShare } = simulate(w, 2000);
  assert.ok(snapShare <= 0.32, `snapshots took ${snapShare}`);
  assert.ok(snaps >= 40, `${snaps} snapshots in 2 s`);
});

test("pacing: a worker slowed down mid-call still ends its call in time, with fewer epochs", async () => {
  // The system deschedules the worker: its epochs now cost twice what it estimated.
  const w = await loaded({ perEpoch: 4, overhead: 0 });
  const job = { perEpoch: 2, due: w.context.performance.now() + 10 };
  const jobs = vm.runInContext("training", w.context);
  jobs.set("s", job);
  const t0 = w.context.performance.now();
  w.context.stepJob("s", job);
  jobs.delete("s");
  assert.equal(w.calls.at(-1).args.epochs, 5, "the estimate fits five epochs in 10 ms");
  assert.equal(w.ran.at(-1), 2, "the engine ran the two that fit");
  assert.ok(w.context.performance.now() - t0 <= 11, `the call took ${w.context.performance.now() - t0} ms`);
  assert.equal(w.posted.filter((m) => m.work).length, 0);
});

test("pacing: epochs longer than a frame post after every epoch; a slower network is noticed", () => {
  const w = startWorker();
  const job = { perEpoch: 1, due: 100 };
  assert.deepEqual(plain(w.context.nextStep(job, 90)), { epochs: 10, limitMs: 10.5 }, "trains until the snapshot is due");
  assert.deepEqual(plain(w.context.nextStep(job, 100)), { post: true });
  assert.deepEqual(plain(w.context.nextStep({ ...job, posted: true }, 130)), { epochs: 1, limitMs: 0.5 }, "a slow snapshot is followed by an epoch");
  assert.deepEqual(plain(w.context.nextStep({ perEpoch: 0.01, due: 100 }, 0)), { epochs: 1600, limitMs: 16.01 }, "never past SLICE_MS");
  assert.deepEqual(plain(w.context.nextStep({ perEpoch: 40, due: 100 }, 90)), { post: true }, "10 ms early beats 30 ms late");
  assert.deepEqual(plain(w.context.nextStep({ perEpoch: 40, due: 100, posted: true }, 90)), { epochs: 1, limitMs: 30 }, "but an epoch between two");
  w.context.noteEpochs(job, 10, 10);
  w.context.noteEpochs(job, 10, 50);
  assert.equal(job.perEpoch, 5, "a cost five times the estimate replaces it");
  w.context.noteEpochs(job, 10, 60);
  assert.ok(job.perEpoch > 5 && job.perEpoch < 6, String(job.perEpoch));
});

test("the worker's own commands are the contract's worker commands, with the same arguments", () => {
  const w = startWorker();
  // A top-level const of the script lives in the context's global lexical scope.
  const table = vm.runInContext("WORKER_COMMANDS", w.context);
  const declared = Object.entries(CONTRACT.commands).filter(([, c]) => c.origin === "worker");
  assert.deepEqual(Object.keys(table).sort(), declared.map(([name]) => name).sort());
  for (const [name, c] of declared) {
    const args = Object.fromEntries(Object.entries(c.args).map(([a, spec]) => [a, { type: spec.type, required: spec.required }]));
    assert.deepEqual(plain(table[name].args), args, name);
    assert.equal(typeof table[name].handler, "function", name);
    assert.ok(table[name].doc, name);
  }
});

test("the Hugo module concatenates exactly the worker's parts, in order", () => {
  const partial = readFileSync(new URL("../../hugo-shortcodes/layouts/partials/backpropagation/widget-js.html", import.meta.url), "utf8");
  const names = partial.match(/range slice ((?:"[^"]+" ?)+)/)[1].match(/"([^"]+)"/g).map((n) => `worker/${n.slice(1, -1)}.js`);
  assert.deepEqual(names, [...PARTS]);
});

test("the worker and its parts stay classic scripts (no import or export)", () => {
  assert.ok(PARTS.length >= 4, String(PARTS));
  for (const [name, text] of [["worker.js", SOURCE], ...PARTS.map((p) => [p, partSource(p)])]) {
    assert.doesNotMatch(text, /^\s*(import|export)\s/m, name);
  }
});
