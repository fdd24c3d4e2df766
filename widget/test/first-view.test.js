import { test } from "node:test";
import assert from "node:assert/strict";
import { CONTRACT } from "../src/contract.js";
import { FirstView, canonicalConfig, configKey, sameNumbers } from "../src/first-view.js";

const grid = (values) => ({ resolution: 2, neurons: [[1, 0]], values: Buffer.from(new Float32Array(values).buffer).toString("base64") });
const FILE = {
  version: 1, config: "{}", grid: 40, indices: [0],
  before: { epoch: 0, steps: 0, loss: 0.7, data: { train: { x: [[0, 1]] } }, grid: grid([0.25, -1, 2, 3]) },
  trace: { events: [{ kind: "z", value: [0.5] }], indices: [0] },
  after: { epoch: 0, steps: 1, loss: 0.6, grid: grid([1, 2, 3, 4]) },
  saved: { before: { epoch: 0, network: "w0" }, after: { epoch: 0, network: "w1" } },
};

test("every field takes the contract's default; keys sorted; the page's language wins", () => {
  const text = canonicalConfig({ hidden: [3], lang: "en" }, "es");
  const parsed = JSON.parse(text);
  assert.deepEqual(Object.keys(parsed), Object.keys(CONTRACT.config.fields).sort());
  assert.deepEqual(parsed.hidden, [3]);
  assert.equal(parsed.lang, "es");
  assert.equal(parsed.dataset, CONTRACT.config.fields.dataset.default);
  // Writing a default out or leaving it away is the same config, the same file.
  assert.equal(canonicalConfig({ dataset: CONTRACT.config.fields.dataset.default }, "es"), canonicalConfig({}, "es"));
});

test("the key is 16 hex digits and changes with any value", () => {
  const a = configKey(canonicalConfig({}, "es"));
  assert.match(a, /^[0-9a-f]{16}$/);
  assert.notEqual(configKey(canonicalConfig({ seed: 1 }, "es")), a);
  assert.notEqual(configKey(canonicalConfig({}, "en")), a);
  assert.equal(configKey(""), "cbf29ce484222325"); // FNV-1a's offset basis: nothing hashed
});

test("the first calls are answered; the first step moves it to after the update", () => {
  const view = new FirstView(FILE);
  const before = view.answer("snapshot", { grid: 40 });
  assert.ok(before.grid.values instanceof Float32Array);
  assert.deepEqual([...before.grid.values], [0.25, -1, 2, 3]);
  assert.equal(view.answer("snapshot", { grid: 14 }), undefined);
  assert.equal(view.answer("snapshot", { grid: 40, live: {} }), undefined);
  const saved = view.answer("save", {});
  assert.equal(saved.state, FILE.saved.before, "the engine's own saved session (an export is real)");
  assert.equal(view.answer("trace", { indices: [1] }), undefined, "another example: only the engine knows");
  assert.equal(view.answer("trace", { indices: null }), undefined, "a mini-batch: only the engine knows");
  const traced = view.answer("trace", { indices: [0] });
  assert.equal(traced.trace, FILE.trace);
  assert.equal(traced.snapshot.steps, 1);
  assert.equal(traced.snapshot.grid, undefined);
  assert.ok(view.traced);
  assert.equal(view.answer("trace", { indices: [0] }), undefined, "the second step is the engine's");
  assert.equal(view.answer("snapshot", { grid: 40 }).loss, 0.6);
  assert.equal(view.answer("save", {}).state, FILE.saved.after);
  view.answer("load", { state: saved.state });
  assert.equal(view.position, "before");
  assert.equal(view.answer("snapshot", { grid: 40 }).loss, 0.7);
  for (const cmd of ["train", "set_config", "reset", "chain_rule", "add_point"]) assert.equal(view.answer(cmd, {}), undefined, cmd);
  assert.equal(view.answer("load", { state: { ...FILE.saved.before } }), undefined, "a state from elsewhere is the engine's");
});

test("a grid is decoded when a snapshot first needs it, once; the trace's reply needs none", () => {
  const view = new FirstView(FILE);
  assert.deepEqual(Object.keys(view.decoded), []);
  const first = view.answer("snapshot", { grid: 40 });
  assert.equal(view.answer("snapshot", { grid: 40 }).grid.values, first.grid.values, "decoded once");
  view.answer("trace", { indices: [0] });
  assert.deepEqual(Object.keys(view.decoded), ["before"], "the state after the step waits until drawn");
  assert.deepEqual([...view.answer("snapshot", { grid: 40 }).grid.values], [1, 2, 3, 4]);
  assert.equal(typeof FILE.after.grid.values, "string", "the shipped file is left as it came");
});

test("a handed-out state becomes the engine's own once it runs; others pass through", () => {
  const view = new FirstView(FILE);
  view.real = { before: { real: "b" }, after: { real: "a" } };
  assert.deepEqual(view.engineState(view.answer("save", {}).state), { real: "b" });
  assert.deepEqual(view.engineState(FILE.saved.after), { real: "a" });
  const own = { config: {} };
  assert.equal(view.engineState(own), own);
  assert.equal(view.positionOf(null), null);
});

test("the takeover accepts the engine's numbers to rounding, nothing else", () => {
  const a = { events: [{ kind: "z", value: [0.6460999594831351], terms: { bias: 0 } }] };
  assert.ok(sameNumbers(a, { events: [{ kind: "z", value: [0.6460999594831353], terms: { bias: 0.0 } }] }));
  assert.ok(!sameNumbers(a, { events: [{ kind: "z", value: [0.6461], terms: { bias: 0 } }] }));
  assert.ok(!sameNumbers(a, { events: [{ kind: "a", value: [0.6460999594831351], terms: { bias: 0 } }] }));
  assert.ok(!sameNumbers(a, { events: [] }));
  assert.ok(!sameNumbers(a, { events: [{ kind: "z", value: [0.6460999594831351], terms: { bias: 0, extra: 1 } }] }));
});
