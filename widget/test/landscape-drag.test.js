import { test } from "node:test";
import assert from "node:assert/strict";
import { PointMover, keyStep, weightsAt, KEY_FRACTION } from "../src/views/landscape-drag.js";

const GEOM = { box: { x: 10, y: 0, s: 100 }, a0: -2, a1: 2, b0: 0, b1: 4 };

test("weightsAt: pixels to the two weights, the vertical axis upwards, clamped to the map", () => {
  assert.deepEqual(weightsAt(GEOM, 10, 0), [-2, 4]);
  assert.deepEqual(weightsAt(GEOM, 60, 50), [0, 2]);
  assert.deepEqual(weightsAt(GEOM, 500, 500), [2, 0]);
});

test("keyStep: one arrow moves one weight by a fraction of the range, never off the map", () => {
  assert.deepEqual(keyStep(GEOM, [0, 2], "ArrowRight"), [4 * KEY_FRACTION, 2]);
  assert.deepEqual(keyStep(GEOM, [0, 2], "ArrowDown"), [0, 2 - 4 * KEY_FRACTION]);
  assert.deepEqual(keyStep(GEOM, [2, 2], "ArrowRight"), [2, 2]);
  assert.equal(keyStep(GEOM, [0, 2], "Enter"), null);
});

// A stand-in engine: each call resolves when the test says so; counts calls in flight.
function fakeHost() {
  const host = { calls: [], inFlight: 0, maxInFlight: 0, moves: 0, refusals: [], weights: [0, 0], pending: [] };
  const call = (cmd, args) => {
    host.inFlight += 1;
    host.maxInFlight = Math.max(host.maxInFlight, host.inFlight);
    host.calls.push([cmd, args]);
    return new Promise((resolve, reject) => host.pending.push(() => {
      host.inFlight -= 1;
      if (typeof args.value !== "number") return reject(new Error("El peso debe ser un número."));
      if (cmd === "set_parameter") host.weights[args.i] = args.value;
      resolve({});
    }));
  };
  Object.assign(host, {
    call, refresh: (...a) => call("snapshot", { value: 0 }, ...a),
    params: () => [[0, 0, 0], [0, 0, 1]], point: () => [...host.weights],
    moved: () => { host.moves += 1; }, refused: (e, k) => host.refusals.push([e.message, k]),
  });
  return host;
}

async function settle(host) {
  while (host.pending.length) {
    host.pending.shift()();
    await new Promise((r) => setTimeout(r, 0));
  }
}

test("PointMover: one engine call at a time; moves made meanwhile collapse to the newest", async () => {
  const host = fakeHost();
  const mover = new PointMover(host);
  mover.move([1, 1]);
  mover.move([2, 2]);
  mover.move([3, 3]);
  assert.equal(host.inFlight, 1);
  assert.deepEqual(mover.ahead([0, 0]), [3, 3]);
  await settle(host);
  assert.equal(host.maxInFlight, 1);
  const sets = host.calls.filter(([cmd]) => cmd === "set_parameter").map(([, a]) => [a.layer, a.i, a.value]);
  assert.deepEqual(sets, [[1, 0, 1], [1, 1, 1], [1, 0, 3], [1, 1, 3]]);
  assert.deepEqual(host.weights, [3, 3]);
  assert.equal(host.moves, 2);
});

test("PointMover: a refused value is reported for its field and nothing after it is sent", async () => {
  const host = fakeHost();
  const mover = new PointMover(host);
  mover.move(["mucho", null]);
  await settle(host);
  assert.deepEqual(host.refusals, [["El peso debe ser un número.", 0]]);
  assert.equal(host.moves, 0);
  assert.deepEqual(host.weights, [0, 0]);
});
