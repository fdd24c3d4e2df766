// What the live region reads for one computation: where it happens and the formula with its
// numbers ("Capa oculta 1, neurona 2: z = 0,15·0,05 + 0,2·0,1 + 0,35 = 0,3775").

import { substitute } from "./substitute.js";
import { layerName } from "../views/network.js";

const capitalize = (s) => (s ? s[0].toLocaleUpperCase() + s.slice(1) : s);

// Where an event happens, short: "Capa oculta 1, neurona 2", "Peso de la neurona 1 (entrada) a
// la neurona 2 (capa oculta 1)", "Sesgo de la neurona 1 (salida)", "Pérdida".
export function placeOf(ev, tr, L) {
  if (!ev) return "";
  const name = (l) => layerName(tr, l, L);
  if (typeof ev.layer !== "number" || typeof ev.neuron !== "number") {
    return tr(`step.place.${ev.kind === "loss" || ev.kind === "loss_after" ? ev.kind : "other"}`);
  }
  const p = { j: ev.neuron + 1, layer: name(ev.layer), Layer: capitalize(name(ev.layer)), i: (ev.source ?? 0) + 1, prev: name(ev.layer - 1) };
  if (typeof ev.source === "number") return tr("step.place.weight", p);
  if (["grad_b", "update"].includes(ev.kind)) return tr("step.place.bias", p);
  return tr("step.place.neuron", p);
}

export function narrate(ev, { tr, lang, L, sample = 0 }) {
  if (!ev) return "";
  return `${placeOf(ev, tr, L)}: ${substitute(ev, lang, sample)}`;
}
