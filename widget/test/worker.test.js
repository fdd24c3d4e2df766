// The classic worker script run in a vm context with a fake `self`, a fake Pyodide and a fake
// clock, so its protocol handling and training loop are tested without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

import { CONTRACT } from "../src/contract.js";

const SOURCE = readFileSync(new URL("../src/worker.js", import.meta.url), "utf8");

// cost: simulated milliseconds of a train call = overhead + epochs * perEpoch.
function startWorker({ overhead = 25, perEpoch = 5, failImport = false, divergeAt = Infinity } = {}) {
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
          if (cmd === "train") {
            clock += overhead + args.epochs * perEpoch;
            epoch += args.epochs;
            const diverged = epoch >= divergeAt;
            return JSON.stringify({ ok: true, result: { epoch, status: diverged ? "diverged" : "ok", loss: diverged ? null : 1 / (1 + epoch), grid: args.grid ? { resolution: args.grid } : undefined } });
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
    postMessage: (msg) => posted.push(msg),
    loadPyodide: async () => fakePyodide,
  };
  const context = {
    self,
    importScripts: (url) => { if (failImport) throw new Error(`cannot load ${url}`); },
    performance: { now: () => clock },
    setTimeout,
    console,
  };
  vm.createContext(context);
  vm.runInContext(SOURCE, context);
  const send = (msg) => self.onmessage({ data: msg });
  return { send, posted, calls, context };
}

// Objects made inside the vm context have another realm's prototypes: compare as JSON.
const plain = (x) => JSON.parse(JSON.stringify(x));
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

test("init loads Pyodide from the bundle URL and reports the loading stages", async () => {
  const w = startWorker();
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  await tick();
  assert.deepEqual(w.posted.filter((m) => m.progress).map((m) => m.progress), ["pyodide", "packages", "engine"]);
  assert.deepEqual(plain(w.posted.at(-1)), { id: 1, ok: true, result: { pyodide: "fake" } });
});

test("a bundle that cannot be loaded replies load_failed in Spanish with the reason", async () => {
  const w = startWorker({ failImport: true });
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/nope/" } });
  await tick();
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
  await tick();
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
  await tick();
  const reply = w.posted.find((m) => m.id === 2);
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, "invalid_learning_rate");
  assert.match(reply.error.message, /tasa de aprendizaje/);
});

test("continuous training posts snapshots until stop_training, then nothing more", async () => {
  const w = startWorker();
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  w.send({ id: 2, session: "s", cmd: "start_training", args: { grid: 10 } });
  await tick(40);
  const snaps = w.posted.filter((m) => m.snapshot);
  assert.ok(snaps.length >= 3, `only ${snaps.length} slices`);
  assert.ok(snaps.every((m) => m.session === "s" && m.training === true));
  const epochs = snaps.map((m) => m.snapshot.epoch);
  assert.deepEqual(epochs, [...epochs].sort((a, b) => a - b));
  assert.ok(w.calls.every((c) => c.cmd !== "train" || c.args.grid === 10), "each slice asks for the grid");
  w.send({ id: 3, session: "s", cmd: "stop_training", args: {} });
  await tick(1);
  const count = w.posted.filter((m) => m.snapshot).length;
  await tick(30);
  assert.equal(w.posted.filter((m) => m.snapshot).length, count, "a slice ran after stop_training");
  assert.deepEqual(plain(w.posted.find((m) => m.id === 3).result), { training: false, was_training: true });
});

test("a diverged snapshot stops the loop by itself with training=false", async () => {
  const w = startWorker({ divergeAt: 5 });
  w.send({ id: 1, session: null, cmd: "init", args: { bundleUrl: "/b/" } });
  w.send({ id: 2, session: "s", cmd: "start_training", args: {} });
  await tick(40);
  const snaps = w.posted.filter((m) => m.snapshot);
  const last = snaps.at(-1);
  assert.equal(last.snapshot.status, "diverged");
  assert.equal(last.training, false);
  assert.equal(snaps.filter((m) => m.snapshot.status === "diverged").length, 1);
});

test("slices converge to ~40 ms of epochs whatever the fixed cost of a call", () => {
  const w = startWorker();
  // Hand-computed targets: 40 ms of epochs at 5 ms each = 8 epochs; at 0.5 ms = 80 epochs;
  // with a 130 ms overhead the 150 ms cap leaves 20 ms = 40 epochs of 0.5 ms.
  for (const [overhead, perEpoch, expected] of [[25, 5, 8], [25, 0.5, 80], [2, 5, 8], [130, 0.5, 40]]) {
    const job = {};
    let n = 1;
    for (let k = 0; k < 40; k++) n = w.context.nextEpochs(job, n, overhead + n * perEpoch);
    assert.ok(Math.abs(n - expected) <= 1, `overhead ${overhead}, per epoch ${perEpoch}: ${n} epochs, expected ${expected}`);
  }
});

test("a network that becomes slower mid-training is noticed and the slice shrinks", () => {
  const w = startWorker();
  const job = {};
  let n = 1;
  for (let k = 0; k < 30; k++) n = w.context.nextEpochs(job, n, 20 + n * 1);
  assert.ok(Math.abs(n - 40) <= 1, String(n));
  for (let k = 0; k < 30; k++) n = w.context.nextEpochs(job, n, 20 + n * 10);
  assert.ok(Math.abs(n - 4) <= 1, String(n));
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

test("the worker script stays classic and self-contained (no import or export)", () => {
  assert.doesNotMatch(SOURCE, /^\s*(import|export)\s/m);
});
