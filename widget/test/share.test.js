import { test } from "node:test";
import assert from "node:assert/strict";
import { readShared, shareHash, linkKey, LINK_FIELDS, MAX_LINK_CHARS } from "../src/share/link.js";
import { CONTRACT } from "../src/contract.js";

const hashOf = (id, obj) => `#${linkKey(id)}=${encodeURIComponent(JSON.stringify(obj))}`;

test("a link carries every config field but lang and reads back the same config", () => {
  const config = { ...Object.fromEntries(CONTRACT.config.order.map((k) => [k, CONTRACT.config.fields[k].default])), seed: 42 };
  const hash = shareHash("#other=1", "w1", config);
  const back = readShared(hash, "w1");
  assert.deepEqual(Object.keys(back.config).sort(), [...LINK_FIELDS].sort());
  assert.equal(back.config.seed, 42);
  assert.ok(!("lang" in back.config));
  assert.ok(hash.includes("other=1"));
  assert.equal(readShared(hash, "w2"), null);
  assert.equal(readShared("", "w1"), null);
});

test("malformed or hostile links are refused before the engine sees them", () => {
  for (const bad of [
    `#${linkKey("w1")}=%7Bbad`,
    hashOf("w1", [1, 2]),
    hashOf("w1", "hola"),
    hashOf("w1", { lang: "en" }),
    `#${linkKey("w1")}=${encodeURIComponent('{"__proto__": {"polluted": 1}}')}`,
    hashOf("w1", { constructor: 1 }),
    hashOf("w1", { learning_rate: { valueOf: 1 } }),
    hashOf("w1", { learning_rate: 99 }),
    hashOf("w1", { hidden: [4, 999] }),
    hashOf("w1", { hidden: Array(20).fill(2) }),
    hashOf("w1", { hidden: ["x"] }),
    `#${linkKey("w1")}=${"1".repeat(MAX_LINK_CHARS + 1)}`,
  ]) {
    assert.deepEqual(readShared(bad, "w1"), { error: "share.bad_link" }, bad);
  }
  assert.equal({}.polluted, undefined);
  assert.deepEqual(readShared(hashOf("w1", { learning_rate: 0.5, hidden: [3, 3] }), "w1"), { config: { learning_rate: 0.5, hidden: [3, 3] } });
});
