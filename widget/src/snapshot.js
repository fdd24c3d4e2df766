// Pure helpers that read an engine snapshot: what the element reflects in its attributes and
// events, and the series the views draw. Nothing here recomputes an engine number.

import { attributeNumber, isFiniteNumber } from "./format.js";

export function isDiverged(snapshot) {
  return !!snapshot && snapshot.status === "diverged";
}

// The data-* attributes a snapshot sets; a null value means "remove the attribute"
// (the engine sends null for a non-finite loss, and we never write "NaN").
export function snapshotAttributes(snapshot) {
  return {
    "data-epoch": isFiniteNumber(snapshot?.epoch) ? String(Math.trunc(snapshot.epoch)) : null,
    "data-loss": attributeNumber(snapshot?.loss),
    "data-val-loss": attributeNumber(snapshot?.val_loss),
  };
}

export function stepDetail(snapshot) {
  return {
    epoch: snapshot?.epoch ?? null,
    loss: isFiniteNumber(snapshot?.loss) ? snapshot.loss : null,
    val_loss: isFiniteNumber(snapshot?.val_loss) ? snapshot.val_loss : null,
    status: snapshot?.status ?? "ok",
  };
}

// The engine's history {epoch: [], loss: [], val_loss: []} as the chart's series: missing
// arrays become empty, non-finite entries null (gaps, never NaN).
export function historySeries(history) {
  const clean = (v) => (isFiniteNumber(v) ? v : null);
  const h = history || {};
  const epoch = Array.isArray(h.epoch) ? h.epoch : [];
  return {
    epoch,
    loss: (Array.isArray(h.loss) ? h.loss : []).map(clean),
    val_loss: (Array.isArray(h.val_loss) ? h.val_loss : []).map(clean),
  };
}

// Largest |w| over every weight matrix, for scaling edge widths (0 if none is finite).
export function maxAbs(matrices) {
  let m = 0;
  for (const mat of matrices || []) {
    for (const row of mat || []) {
      for (const v of row || []) {
        if (isFiniteNumber(v) && Math.abs(v) > m) m = Math.abs(v);
      }
    }
  }
  return m;
}

// The plain object getState() returns.
export function publicState(state, snapshot, extra = {}) {
  return {
    state,
    epoch: snapshot?.epoch ?? null,
    steps: snapshot?.steps ?? null,
    status: snapshot?.status ?? null,
    loss: isFiniteNumber(snapshot?.loss) ? snapshot.loss : null,
    val_loss: isFiniteNumber(snapshot?.val_loss) ? snapshot.val_loss : null,
    accuracy: isFiniteNumber(snapshot?.accuracy) ? snapshot.accuracy : null,
    val_accuracy: isFiniteNumber(snapshot?.val_accuracy) ? snapshot.val_accuracy : null,
    task: snapshot?.task ?? null,
    config: snapshot?.config ? JSON.parse(JSON.stringify(snapshot.config)) : null,
    ...extra,
  };
}

// ------------------------------------------------------------------ live snapshots
// While training the worker posts live snapshots (python/backprop/live.py): the toolbar's
// numbers, the history entries added since the last one, the weights and the grids the open
// views draw. These helpers complete one from the previous complete snapshot; nothing here
// computes a number of the engine.

const sameSizes = (a, b) => Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);

// Keep every other entry (and the newest) until at most 2 × cap remain: the chart draws a
// bounded number of points however long the training runs, as the engine's history does.
export function thinHistory(history, cap) {
  let h = history;
  while (cap > 0 && h.epoch.length > 2 * cap) {
    const n = h.epoch.length;
    const keep = (_, i) => i % 2 === 0 || i === n - 1;
    h = { epoch: h.epoch.filter(keep), loss: h.loss.filter(keep), val_loss: h.val_loss.filter(keep) };
  }
  return h;
}

// The history with the delta's entries appended: only epochs after the last one it holds
// (a full snapshot that arrived in between may already hold some), thinned to the cap.
export function appendHistory(history, delta, cap = 0) {
  const h = history && Array.isArray(history.epoch) ? history : { epoch: [], loss: [], val_loss: [] };
  const epochs = delta?.epoch || [];
  const last = h.epoch.length ? h.epoch[h.epoch.length - 1] : -Infinity;
  let start = 0;
  while (start < epochs.length && !(epochs[start] > last)) start++;
  if (start >= epochs.length) return h;
  const add = (a, b) => a.concat((b || []).slice(start));
  return thinHistory({ epoch: add(h.epoch, epochs), loss: add(h.loss, delta.loss), val_loss: add(h.val_loss, delta.val_loss) }, cap);
}

// A complete snapshot from a live one and the previous complete one: the history delta
// appended, what the live snapshot leaves out (config, diagnostics, the network's activations
// and optimizer, …) kept from before while the network keeps its shape. Gradients are never
// kept: drawn next to newer weights they would be wrong.
export function mergeLive(live, prev) {
  const same = !!prev && sameSizes(prev.network?.sizes, live.network?.sizes);
  const out = { ...(prev || {}), ...live };
  if (!same) {
    for (const k of ["diagnostics", "flow"]) if (!(k in live)) delete out[k];
  }
  const network = { ...(same ? prev.network : {}), ...live.network };
  if (!("grad_weights" in live.network)) {
    delete network.grad_weights;
    delete network.grad_biases;
  }
  out.network = network;
  out.history = live.history || appendHistory(prev?.history, live.history_delta, live.history_max_points);
  delete out.history_delta;
  return out;
}
