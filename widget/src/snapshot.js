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
