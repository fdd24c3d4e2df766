import { test } from "node:test";
import assert from "node:assert/strict";
import { snapshotAttributes, stepDetail, historySeries, maxAbs, publicState, isDiverged, appendHistory, thinHistory, mergeLive } from "../src/snapshot.js";

test("a snapshot maps to plain-decimal attributes", () => {
  assert.deepEqual(snapshotAttributes({ epoch: 12, loss: 0.25, val_loss: 0.5 }), {
    "data-epoch": "12", "data-loss": "0.25", "data-val-loss": "0.5",
  });
});

test("a diverged snapshot removes the loss attributes instead of writing NaN", () => {
  const attrs = snapshotAttributes({ epoch: 3, loss: null, val_loss: null, status: "diverged" });
  assert.equal(attrs["data-epoch"], "3");
  assert.equal(attrs["data-loss"], null);
  assert.equal(attrs["data-val-loss"], null);
  assert.ok(isDiverged({ status: "diverged" }));
  assert.ok(!isDiverged({ status: "ok" }));
});

test("no validation set: no data-val-loss", () => {
  assert.equal(snapshotAttributes({ epoch: 0, loss: 1, val_loss: null })["data-val-loss"], null);
});

test("the step event carries epoch, loss, val_loss and status", () => {
  assert.deepEqual(stepDetail({ epoch: 4, loss: 0.1, val_loss: NaN, status: "ok", extra: 1 }), {
    epoch: 4, loss: 0.1, val_loss: null, status: "ok",
  });
});

test("history becomes parallel arrays with gaps for non-finite values", () => {
  const cols = historySeries({ epoch: [0, 1, 2], loss: [1, 0.5, null], val_loss: [1.1, Infinity, 0.7] });
  assert.deepEqual(cols, { epoch: [0, 1, 2], loss: [1, 0.5, null], val_loss: [1.1, null, 0.7] });
  assert.deepEqual(historySeries({ epoch: [0] }), { epoch: [0], loss: [], val_loss: [] });
  assert.deepEqual(historySeries(undefined), { epoch: [], loss: [], val_loss: [] });
});

test("maxAbs looks through every matrix and skips non-finite entries", () => {
  assert.equal(maxAbs([[[0.1, -0.7]], [[0.3], [NaN]]]), 0.7);
  assert.equal(maxAbs([]), 0);
});

test("getState is a plain, detached object", () => {
  const snap = { epoch: 2, steps: 30, status: "ok", loss: 0.3, val_loss: 0.4, accuracy: 0.9, task: "binary", config: { hidden: [4] } };
  const s = publicState("ready", snap, { training: false });
  assert.equal(s.state, "ready");
  assert.equal(s.epoch, 2);
  assert.equal(s.training, false);
  s.config.hidden.push(9);
  assert.deepEqual(snap.config.hidden, [4]);
  assert.equal(publicState("loading", null).epoch, null);
});

test("a history delta appends only newer epochs, and a long history is thinned to the cap", () => {
  const h = { epoch: [0, 1, 2], loss: [3, 2, 1], val_loss: [null, null, null] };
  const same = appendHistory(h, { epoch: [1, 2], loss: [2, 1], val_loss: [null, null] }, 500);
  assert.equal(same, h, "nothing new: the same history");
  const grown = appendHistory(h, { epoch: [2, 3], loss: [1, 0.5], val_loss: [null, 0.7] }, 500);
  assert.deepEqual(grown, { epoch: [0, 1, 2, 3], loss: [3, 2, 1, 0.5], val_loss: [null, null, null, 0.7] });
  assert.deepEqual(h.epoch, [0, 1, 2], "the old history is not changed");
  const epochs = Array.from({ length: 25 }, (_, i) => i);
  const thin = appendHistory({ epoch: [], loss: [], val_loss: [] }, { epoch: epochs, loss: epochs, val_loss: epochs }, 5);
  assert.ok(thin.epoch.length <= 10, String(thin.epoch.length));
  assert.equal(thin.epoch[0], 0);
  assert.equal(thin.epoch.at(-1), 24, "the newest epoch stays");
  assert.deepEqual(thin.loss, thin.epoch);
  assert.deepEqual(thinHistory(h, 0), h, "no cap: nothing thinned");
});

test("mergeLive keeps what the live snapshot leaves out only while the network keeps its shape", () => {
  const prev = { config: { a: 1 }, diagnostics: { d: 1 }, network: { sizes: [2, 1], optimizer: { t: 3 }, grad_weights: [[[1, 2]]] },
    history: { epoch: [0], loss: [1], val_loss: [1] } };
  const live = { live: true, network: { sizes: [2, 1], weights: [[[5, 6]]] }, history_delta: { epoch: [1], loss: [0.5], val_loss: [0.6] } };
  const out = mergeLive(live, prev);
  assert.deepEqual(out.network, { sizes: [2, 1], optimizer: { t: 3 }, weights: [[[5, 6]]] });
  assert.deepEqual(out.diagnostics, { d: 1 });
  assert.deepEqual(out.history.epoch, [0, 1]);
  assert.equal(out.history_delta, undefined);
  const reshaped = mergeLive({ ...live, network: { sizes: [2, 3, 1], weights: [] } }, prev);
  assert.deepEqual(reshaped.network, { sizes: [2, 3, 1], weights: [] });
  assert.equal(reshaped.diagnostics, undefined);
  assert.deepEqual(reshaped.config, { a: 1 });
  const withGrads = mergeLive({ ...live, network: { ...live.network, grad_weights: [[[9, 9]]] } }, prev);
  assert.deepEqual(withGrads.network.grad_weights, [[[9, 9]]]);
});
