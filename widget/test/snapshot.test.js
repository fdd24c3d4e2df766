import { test } from "node:test";
import assert from "node:assert/strict";
import { snapshotAttributes, stepDetail, historySeries, maxAbs, publicState, isDiverged } from "../src/snapshot.js";

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
