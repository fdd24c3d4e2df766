// The replay of one traced training step: the engine's events, the position in them, and
// moves by computation, phase and layer. Pure (no DOM), so tests can walk a real trace.

// The four phases the reader sees; the engine's own phases fold into them.
export const PHASES = ["forward", "loss", "backward", "update"];
const PHASE_OF = { forward: "forward", loss: "loss", backward: "backward", gradient: "backward", update: "update", result: "update" };

export function phaseOf(ev) {
  return PHASE_OF[ev?.phase] ?? "update";
}

// Events of one block share the phase and the layer (a layer's neurons, then its gradients).
function blockOf(ev) {
  return `${phaseOf(ev)}:${ev?.layer ?? "-"}`;
}

export class Replay {
  constructor(events = []) {
    this.events = Array.isArray(events) ? events : [];
    this.index = -1; // -1: before the first computation
    // The network changes at the first event of the update phase: before it the reader sees
    // the state before the step, from it on the state after.
    this.updateAt = this.events.findIndex((ev) => phaseOf(ev) === "update");
  }

  get length() {
    return this.events.length;
  }

  get current() {
    return this.events[this.index] ?? null;
  }

  get atEnd() {
    return this.index >= this.events.length - 1;
  }

  // Whether the replay has reached the update (the engine's state after the step applies).
  get updated() {
    return this.updateAt >= 0 && this.index >= this.updateAt;
  }

  go(i) {
    this.index = Math.max(-1, Math.min(this.events.length - 1, i));
    return this.index;
  }

  next() {
    return this.go(this.index + 1);
  }

  prev() {
    return this.go(this.index - 1);
  }

  end() {
    return this.go(this.events.length - 1);
  }

  // The first event after the current one whose key differs, or the start of the current or
  // previous run of equal keys going back.
  _jump(key, dir) {
    const ev = this.events;
    if (dir > 0) {
      const here = this.index >= 0 ? key(ev[this.index]) : null;
      for (let i = this.index + 1; i < ev.length; i++) if (key(ev[i]) !== here) return this.go(i);
      return this.end();
    }
    let i = this.index;
    if (i <= 0) return this.go(-1);
    // Step back into the previous run when already at the start of this one.
    if (key(ev[i - 1]) !== key(ev[i])) i--;
    while (i > 0 && key(ev[i - 1]) === key(ev[i])) i--;
    return this.go(i);
  }

  nextPhase() {
    return this._jump(phaseOf, 1);
  }

  prevPhase() {
    return this._jump(phaseOf, -1);
  }

  nextLayer() {
    return this._jump(blockOf, 1);
  }

  prevLayer() {
    return this._jump(blockOf, -1);
  }

  // Everything computed up to and including the current event, keyed for the diagram.
  worksheet() {
    return worksheet(this.events, this.index);
  }
}

const nodeKey = (layer, j) => `${layer}:${j}`;
const edgeKey = (layer, j, i) => `${layer}:${j}:${i}`;
const NODE_KINDS = { z: "z", a: "a", grad_a: "grad_a", da_dz: "da_dz", delta: "delta" };

// What the diagram shows after events[0..upto]: per neuron (layer as in the diagram, j) its
// z, a, ∂L/∂a, ∂a/∂z, δ (per-example lists); per weight (layer of its target neuron, j, i)
// and per bias its gradient, old and new value; the loss before and after, predictions and
// targets.
export function worksheet(events, upto) {
  const sheet = { nodes: new Map(), edges: new Map(), biases: new Map(), loss: null, lossAfter: null, predictions: null, targets: null };
  const get = (map, key) => map.get(key) ?? map.set(key, {}).get(key);
  for (let k = 0; k <= upto && k < events.length; k++) {
    const ev = events[k];
    const T = ev.terms || {};
    if (NODE_KINDS[ev.kind] && typeof ev.neuron === "number") {
      get(sheet.nodes, nodeKey(ev.layer, ev.neuron))[NODE_KINDS[ev.kind]] = ev.value;
    } else if (ev.kind === "loss") {
      sheet.loss = ev.value;
      sheet.predictions = T.predictions ?? null;
      sheet.targets = T.targets ?? null;
    } else if (ev.kind === "loss_after") {
      sheet.lossAfter = ev.value;
    } else if (ev.kind === "grad_w") {
      get(sheet.edges, edgeKey(ev.layer, ev.neuron, ev.source)).grad = ev.value;
    } else if (ev.kind === "grad_b") {
      get(sheet.biases, nodeKey(ev.layer, ev.neuron)).grad = ev.value;
    } else if (ev.kind === "update" && typeof ev.neuron === "number") {
      const slot = typeof ev.source === "number"
        ? get(sheet.edges, edgeKey(ev.layer, ev.neuron, ev.source))
        : get(sheet.biases, nodeKey(ev.layer, ev.neuron));
      slot.old = T.old;
      slot.new = ev.value;
    }
  }
  return sheet;
}

export { nodeKey, edgeKey };
