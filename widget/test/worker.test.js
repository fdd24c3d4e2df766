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

// cost: simulated milliseconds of a train call = overhead + epochs * perEpoch; of a live
// snapshot, snapshotMs.
// The fake page takes every snapshot to draw at once ({drawn}) unless autoAck is false.
function startWorker({ overhead = 0.2, perEpoch = 2, snapshotMs = 2, failImport = false, divergeAt = Infinity, autoAck = true, download = 0 } = {}) {
  const fetched = [];
  let clock = 0;
  const posted = [];
  const calls = [];
  let epoch = 0;
  const fakePyodide = {
    version: "fake",
    loadPackage: async () => {},
    runPython: () => {},
    globals: {
      get: (name) => (name === "_bp_call"
        ? (session, cmd, argsJson) => {
          const args = JSON.parse(argsJson);
          calls.push({ session, cmd, args });
          const status = () => (epoch >= divergeAt ? "diverged" : "ok");
          if (cmd === "train") {
            clock += overhead + args.epochs * perEpoch;
            epoch += args.epochs;
            return JSON.stringify({ ok: true, result: { epoch, status: status() } });
          }
          if (cmd === "snapshot" && args.live) {
            clock += snapshotMs;
            return JSON.stringify({ ok: true, result: { live: true, epoch, status: status(), history_cursor: [1, epoch + 1], grid: args.grid ? { resolution: args.grid } : undefined } });
          }
          if (cmd === "set_config") {
            return JSON.stringify({ ok: false, error: { code: "invalid_learning_rate", message: "La tasa de aprendizaje debe ser un número mayor que 0.", field: "learning_rate" } });
          }
          return JSON.stringify({ ok: true, result: { epoch } });
        }
        : () => ({ toJs: () => new Uint8Array(new Float32Array([0.25, 0.75]).buffer), destroy() {} })),
    },
  };
  const self = {
    postMessage: (msg) => {
      posted.push(msg);
      if (msg.snapshot && autoAck) setTimeout(() => self.onmessage({ data: { drawn: msg.session } }), 0);
    },
    // Pyodide downloads its runtime with fetch: the fake reads one file of `download` bytes.
    loadPyodide: async () => {
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
  return { send, posted, calls, context, fetched };
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
});

test("an engine refusal is passed through with its code and Spanish message", async () => {
  const w = startWorker();
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  w.send({ id: 2, session: "s", cmd: "set_config", args: { partial: { learning_rate: 0 } } });
  await replied(w, 2);
  const reply = w.posted.find((m) => m.id === 2);
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, "invalid_learning_rate");
  assert.match(reply.error.message, /tasa de aprendizaje/);
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

// Steps one job by hand on the simulated clock for `ms` milliseconds; the page takes each
// snapshot to draw `ackMs` after it was posted (never, with ackMs null).
function simulate(w, ms, { ackMs = 0 } = {}) {
  const job = {};
  const clock = () => w.context.performance.now();
  const end = clock() + ms;
  let shown = 0;
  while (clock() < end) {
    w.context.stepJob("s", job);
    const snaps = w.posted.filter((m) => m.snapshot).length;
    if (snaps > shown && ackMs !== null && clock() >= job.postedAt + ackMs) {
      job.waiting = false;
      shown = snaps;
    }
  }
  const trainMs = w.posted.filter((m) => m.work).reduce((t, m) => t + m.work.train_ms, 0);
  const snapMs = w.posted.filter((m) => m.work).reduce((t, m) => t + m.work.snapshot_ms, 0);
  return { job, snaps: w.posted.filter((m) => m.snapshot).length, trainShare: trainMs / ms, snapShare: snapMs / ms };
}

async function loaded(options) {
  const w = startWorker({ autoAck: false, ...options });
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  await replied(w, 1);
  return w;
}

test("pacing: one live snapshot per frame interval, the rest of the time trains", async () => {
  // Hand-computed: FRAME_MS 15 → 66 a second; with 2 ms per snapshot and 0.2 ms per call the
  // epochs get at least 80 % of the time.
  for (const perEpoch of [0.5, 2, 5]) {
    const w = await loaded({ perEpoch });
    const { snaps } = simulate(w, 1000);
    const epochs = w.calls.filter((c) => c.cmd === "train").reduce((n, c) => n + c.args.epochs, 0);
    assert.ok(snaps >= 60 && snaps <= 70, `${perEpoch} ms per epoch: ${snaps} snapshots a second`);
    assert.ok(epochs * perEpoch >= 800, `${perEpoch} ms per epoch: only ${epochs * perEpoch} ms of epochs`);
    const longest = Math.max(...w.calls.filter((c) => c.cmd === "train").map((c) => c.args.epochs * perEpoch));
    assert.ok(longest <= 15, `a training call of ${longest} ms`);
  }
});

test("pacing: a page that draws slowly gets fewer snapshots and the epochs get the time", async () => {
  // The page takes each snapshot 40 ms after it was posted: at most 25 a second.
  const w = await loaded({ perEpoch: 1 });
  const { snaps, trainShare } = simulate(w, 2000, { ackMs: 40 });
  assert.ok(snaps >= 40 && snaps <= 51, `${snaps} snapshots in 2 s`);
  assert.ok(trainShare >= 0.9, `epochs got ${trainShare}`);
  // Calls stay short while the ack is awaited.
  const longest = Math.max(...w.calls.filter((c) => c.cmd === "train").map((c) => c.args.epochs));
  assert.ok(longest <= 12, `a training call of ${longest} ms`);
});

test("pacing: a page that draws nothing gets one snapshot a second", async () => {
  const w = await loaded({ perEpoch: 1 });
  const { snaps } = simulate(w, 3000, { ackMs: null });
  assert.ok(snaps >= 3 && snaps <= 4, `${snaps} snapshots in 3 s`);
});

test("pacing: a costly snapshot takes at most about 30 % of the worker's time", async () => {
  const w = await loaded({ perEpoch: 1, snapshotMs: 12 });
  const { snaps, snapShare } = simulate(w, 2000);
  assert.ok(snapShare <= 0.32, `snapshots took ${snapShare}`);
  assert.ok(snaps >= 40, `${snaps} snapshots in 2 s`);
});

test("pacing: epochs longer than a frame post after every epoch; a slower network is noticed", () => {
  const w = startWorker();
  const job = { perEpoch: 1, due: 100 };
  assert.deepEqual(plain(w.context.nextStep(job, 90)), { epochs: 10 }, "trains until the snapshot is due");
  assert.deepEqual(plain(w.context.nextStep(job, 100)), { post: true });
  assert.deepEqual(plain(w.context.nextStep({ ...job, posted: true }, 130)), { epochs: 1 }, "a slow snapshot is followed by an epoch");
  assert.deepEqual(plain(w.context.nextStep({ perEpoch: 0.01, due: 100 }, 0)), { epochs: 1200 }, "never past SLICE_MS");
  assert.deepEqual(plain(w.context.nextStep({ perEpoch: 40, due: 100 }, 90)), { post: true }, "10 ms early beats 30 ms late");
  assert.deepEqual(plain(w.context.nextStep({ perEpoch: 40, due: 100, posted: true }, 90)), { epochs: 1 }, "but an epoch between two");
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
