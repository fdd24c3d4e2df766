// The worker's part that calls the engine: one command in, a JSON reply and the float32
// payload (the grids) out as a transferable array; no PyProxy outlives a call.
// A classic script sharing the worker's global scope (see worker.js).
"use strict";

// Copy the last call's float32 payload out of Python's memory into a transferable array.
function takeBuffer() {
  const proxy = pyTake();
  try {
    const bytes = proxy.toJs();
    if (!bytes || bytes.byteLength === 0) return null;
    const copy = bytes.slice(); // own ArrayBuffer, offset 0, 4-byte aligned
    return new Float32Array(copy.buffer, 0, copy.byteLength >> 2);
  } finally {
    proxy.destroy();
  }
}

// The engine's reply to one command, as text. Python hands it over as UTF-8 bytes, copied out
// of its memory in one piece and decoded natively: Pyodide's conversion of a long str is many
// times slower (a save's 0.7 MB took 40-120 ms instead of 3 ms, docs/performance.md).
const utf8 = new TextDecoder();
function replyText(session, cmd, args) {
  const proxy = pyCall(String(session ?? ""), cmd, JSON.stringify(args ?? {}));
  try {
    return utf8.decode(proxy.toJs());
  } finally {
    proxy.destroy();
  }
}

// Forward one command to the engine. Returns {ok, result | error, buffer}.
function callPython(session, cmd, args) {
  let reply;
  try {
    reply = JSON.parse(replyText(session, cmd, args));
  } catch (e) {
    return {
      ok: false,
      error: {
        code: "python_error",
        message: "Error interno del motor de Python.",
        message_en: "Internal error in the Python engine.",
        detail: String(e && e.message ? e.message : e),
      },
    };
  }
  // A payload always comes with the grid that describes it (docs/worker-protocol.md, "Grid
  // payload"; a Python test holds the engine to it): replies without one, such as live
  // training's many train calls, skip the copy and its PyProxy.
  const buffer = reply.ok && reply.result && reply.result.grid ? takeBuffer() : null;
  return { ok: reply.ok, result: reply.result, error: reply.error, buffer };
}
