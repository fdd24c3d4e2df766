import { test } from "node:test";
import assert from "node:assert/strict";
import { STRINGS, t, normalizeLang } from "../src/i18n.js";

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("Spanish and English have the same keys", () => {
  assert.deepEqual(Object.keys(STRINGS.es).sort(), Object.keys(STRINGS.en).sort());
});

test("every string is non-empty and both languages use the same placeholders", () => {
  for (const key of Object.keys(STRINGS.es)) {
    assert.ok(STRINGS.es[key].trim(), key);
    assert.ok(STRINGS.en[key].trim(), key);
    assert.deepEqual(placeholders(STRINGS.es[key]), placeholders(STRINGS.en[key]), key);
  }
});

test("the Spanish table uses the glossary's words", () => {
  assert.equal(STRINGS.es["button.train"], "Entrenar");
  assert.equal(STRINGS.es["button.pause"], "Pausar");
  assert.equal(STRINGS.es["button.reset"], "Reiniciar");
  assert.equal(STRINGS.es["error.retry"], "Reintentar");
  assert.equal(STRINGS.es["stat.epoch"], "Época");
  assert.equal(STRINGS.es["stat.loss"], "Pérdida");
  assert.equal(STRINGS.es["diverged"], "La red ha divergido: la pérdida se ha disparado. Prueba una tasa de aprendizaje menor y pulsa Reiniciar.");
  assert.equal(STRINGS.es["loading.title"], "Cargando Python…");
});

test("accessible names start with the visible label (so 'Entrenar' names one button)", () => {
  for (const lang of ["es", "en"]) {
    const s = STRINGS[lang];
    for (const [label, aria] of [["button.train", "button.train.aria"], ["button.pause", "button.pause.aria"], ["button.step", "button.step.aria"],
      ["button.reset", "button.reset.aria"], ["error.retry", "error.retry.aria"], ["step.next", "step.next.aria"], ["step.prev", "step.prev.aria"]]) {
      assert.ok(s[aria].startsWith(s[label]), `${lang} ${aria}`);
    }
    const train = s["button.train"];
    const others = ["button.step.aria", "button.reset.aria", "button.pause.aria"].filter((k) => s[k].startsWith(train));
    assert.deepEqual(others, [], lang);
  }
});

test("t fills placeholders and falls back to Spanish", () => {
  assert.equal(t("es", "step.counter", { i: 3, n: 10 }), "Cálculo 3 de 10");
  assert.equal(t("en", "step.counter", { i: 3, n: 10 }), "Computation 3 of 10");
  assert.equal(t("fr", "button.train"), "Entrenar");
  assert.equal(t("es", "no.such.key"), "no.such.key");
  assert.equal(normalizeLang("en-GB"), "en");
  assert.equal(normalizeLang(""), "es");
});

test("the engine's labels are not copied here: no choice or trace label in the widget's table", () => {
  const copied = Object.keys(STRINGS.es).filter((k) => /^(trace|dataset|activation|optimizer)\./.test(k));
  assert.deepEqual(copied, []);
});

test("every control group has a legend in both languages", async () => {
  const { CONTROL_GROUPS } = await import("../src/controls.js");
  for (const g of CONTROL_GROUPS.filter((name) => !["train", "step", "reset"].includes(name))) {
    assert.ok(STRINGS.es[`controls.group.${g}`] && STRINGS.en[`controls.group.${g}`], g);
  }
});
