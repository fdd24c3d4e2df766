// The worker protocol's envelope, the messages between the page and its worker. The commands
// are the contract's (contract.js, generated from the engine's command table; origin "worker"
// for the worker's own). worker.js is a classic script and repeats only the envelope names.
//
// in:  {id, session, cmd, args}
//      {drawn: session}   (the page took the session's live snapshot to draw: the worker may
//                          post the next, worker/training.js); {ping: t} (heartbeat)
// out: {id, ok: true, result, buffer?} | {id, ok: false, error: {code, message, ...}}
// unsolicited: {session, snapshot, buffer?, training}   (while training; training=false when
//              the worker stopped by itself, e.g. on divergence or an engine error)
//              {session, error, training: false}       (the training loop hit an engine error)
//              {progress: stage, loaded?, total?}        (while loading; bytes of the bundle
//                                                         downloaded so far, of those announced)
//              {pong: t}                                 (the heartbeat's answer)
// buffer: a Float32Array (transferred) with the decision-boundary grid of the reply's
//         result.grid / snapshot.grid.

import { CONTRACT } from "./contract.js";

// Stable error codes produced on the JS side (the engine adds its own, e.g. invalid_learning_rate).
export const ERROR_CODES = Object.freeze({
  load_failed: "load_failed", // bundle URL unreachable or Pyodide/numpy/engine failed to load
  worker_failed: "worker_failed", // the worker script itself failed (bad worker URL, crash)
  unsupported: "unsupported", // no Worker in this browser
  unknown_command: "unknown_command",
  python_error: "python_error", // an exception escaped the engine (a bug, not a refusal)
  worker_lost: "worker_lost", // a loaded worker died (terminated, crashed, out of memory, stuck)
});

export function isKnownCommand(cmd) {
  return Object.prototype.hasOwnProperty.call(CONTRACT.commands, cmd);
}

export function makeRequest(id, session, cmd, args = {}) {
  if (!isKnownCommand(cmd)) throw new TypeError(`unknown command: ${cmd}`);
  return { id, session, cmd, args };
}

export function isReply(msg) {
  return msg != null && typeof msg === "object" && "id" in msg && "ok" in msg;
}

export function isSnapshotMessage(msg) {
  return msg != null && typeof msg === "object" && !("id" in msg) && "session" in msg && ("snapshot" in msg || "error" in msg);
}

export function isProgress(msg) {
  return msg != null && typeof msg === "object" && "progress" in msg;
}

// An Error that carries the protocol's {code, message, field}.
export class WidgetError extends Error {
  constructor(error) {
    super(error?.message || String(error?.code || "error"));
    this.code = error?.code || "error";
    this.field = error?.field ?? null;
    this.detail = error;
  }
}

// Attach the transferred grid buffer to the result it describes.
export function attachBuffer(result, buffer) {
  if (result && result.grid && buffer) result.grid.values = buffer;
  return result;
}
