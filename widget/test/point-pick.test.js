import { test } from "node:test";
import assert from "node:assert/strict";
import { nearestPoint } from "../src/views/point-pick.js";

test("the point under a click: nearest of train and validation within the tolerance", () => {
  const data = { extent: [0, 10, 0, 10], train: { x: [[1, 9], [5, 5]] }, val: { x: [[5.2, 5]] } };
  assert.deepEqual(nearestPoint(data, 0.1, 0.1, 0.02), { split: "train", index: 0 }); // (1, 9) is top-left
  assert.deepEqual(nearestPoint(data, 0.515, 0.5, 0.05), { split: "val", index: 0 });
  assert.deepEqual(nearestPoint(data, 0.5, 0.5, 0.05), { split: "train", index: 1 });
  assert.equal(nearestPoint(data, 0.9, 0.9, 0.02), null);
  assert.equal(nearestPoint(undefined, 0.5, 0.5, 1), null);
});
