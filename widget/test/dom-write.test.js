import { test } from "node:test";
import assert from "node:assert/strict";
import { setText, setAttr, setHidden } from "../src/dom-write.js";

// A stand-in element that counts the writes it receives.
function fakeElement() {
  let text = "";
  const attrs = new Map();
  const el = { writes: 0 };
  Object.defineProperty(el, "textContent", {
    get: () => text,
    set: (v) => { text = String(v); el.writes++; },
  });
  el.getAttribute = (n) => (attrs.has(n) ? attrs.get(n) : null);
  el.hasAttribute = (n) => attrs.has(n);
  el.setAttribute = (n, v) => { attrs.set(n, String(v)); el.writes++; };
  el.removeAttribute = (n) => { attrs.delete(n); el.writes++; };
  Object.defineProperty(el, "hidden", {
    get: () => attrs.has("hidden"),
    set: (v) => (v ? el.setAttribute("hidden", "") : el.removeAttribute("hidden")),
  });
  return el;
}

test("setText writes a new text once and leaves an equal one alone", () => {
  const el = fakeElement();
  setText(el, "12");
  setText(el, "12");
  assert.equal(el.textContent, "12");
  assert.equal(el.writes, 1);
  setText(el, "13");
  assert.equal(el.textContent, "13");
  assert.equal(el.writes, 2);
});

test("setAttr sets, keeps an equal value and removes on null only when present", () => {
  const el = fakeElement();
  setAttr(el, "data-epoch", "3");
  setAttr(el, "data-epoch", "3");
  assert.equal(el.getAttribute("data-epoch"), "3");
  assert.equal(el.writes, 1);
  setAttr(el, "data-epoch", null);
  setAttr(el, "data-epoch", null);
  assert.equal(el.hasAttribute("data-epoch"), false);
  assert.equal(el.writes, 2);
});

test("setHidden writes only when the element's visibility changes", () => {
  const el = fakeElement();
  setHidden(el, false);
  assert.equal(el.writes, 0);
  setHidden(el, true);
  setHidden(el, true);
  assert.equal(el.hidden, true);
  assert.equal(el.writes, 1);
  setHidden(el, false);
  assert.equal(el.hidden, false);
  assert.equal(el.writes, 2);
});
