// The bench's own worker (never part of the widget): loads Pyodide + numpy from the same
// bundle as the widget, and then, on request, times the hand-written numpy loop
// (bench/reference.py) or the engine's `train` command with no drawing.
//   in {id, op: "load" | "reference" | "engine", ...}; out {id, ok, result | error}
/* global importScripts, loadPyodide */
"use strict";

let pyodide = null;
let engine = null;

async function load(bundle) {
  const t0 = performance.now();
  importScripts(bundle + "pyodide.js");
  pyodide = await loadPyodide({ indexURL: bundle });
  await pyodide.loadPackage(["numpy"], { messageCallback: () => {} });
  // Loaded is not yet usable: numpy's modules are imported (compiled bytecode executed, its C
  // extensions initialised) on the first `import numpy`, which every page using numpy pays.
  const t1 = performance.now();
  pyodide.runPython("import numpy");
  const t2 = performance.now();
  return { worker_ms: t2 - t0, import_ms: t2 - t1 };
}

async function reference({ points, hidden, batch, lr, seconds }) {
  if (!pyodide.globals.has("epochs_per_second")) {
    // Imported as a module (its __main__ block must not run), from the same file CPython runs.
    pyodide.FS.writeFile("/home/pyodide/bench_reference.py", await (await fetch("/bench/reference.py")).text());
    pyodide.runPython("import sys\nsys.path.insert(0, '/home/pyodide')\nfrom bench_reference import epochs_per_second");
  }
  const spec = JSON.stringify({ points, hidden, batch, lr, seconds });
  return JSON.parse(pyodide.runPython(`import json\njson.dumps(epochs_per_second(**json.loads(${JSON.stringify(spec)})))`));
}

// The engine's train command as the widget's worker calls it, without drawing: time per call
// for a few epoch counts (fixed cost + cost per epoch) and the size of the reply.
async function engineCalls({ bundle, config, grid, liveGrid, liveHidden, epochs, repeats }) {
  if (!engine) {
    await pyodide.loadPackage(["backprop"], { messageCallback: () => {} });
    pyodide.runPython("from backprop.session import Registry\n_bench_registry = Registry()");
    engine = pyodide.globals.get("_bench_registry");
  }
  const call = (cmd, args) => engine.call("bench", cmd, JSON.stringify(args));
  call("create", { config });
  const rows = [];
  for (const n of epochs) {
    const times = [];
    let bytes = 0;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      const reply = call("train", { epochs: n, grid });
      const t1 = performance.now();
      JSON.parse(reply);
      times.push([t1 - t0, performance.now() - t1]);
      bytes = reply.length;
      engine.take_buffer().destroy();
    }
    times.sort((a, b) => a[0] - b[0]);
    const mid = times[times.length >> 1];
    rows.push({ epochs: n, call_ms: mid[0], call_ms_min: times[0][0], json_parse_ms: mid[1], reply_chars: bytes });
  }
  // As live training calls it: epochs with no snapshot, and the live snapshot of a frame.
  const median = (f) => {
    const t = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      f();
      t.push(performance.now() - t0);
      engine.take_buffer().destroy();
    }
    t.sort((a, b) => a - b);
    return t[t.length >> 1];
  };
  const quiet = epochs.map((n) => ({ epochs: n, call_ms: median(() => call("train", { epochs: n, snapshot: "none" })) }));
  let cursor = JSON.parse(call("snapshot", {})).result.history_cursor;
  engine.take_buffer().destroy();
  const live = median(() => {
    call("train", { epochs: 1, snapshot: "none" });
    cursor = JSON.parse(call("snapshot", { grid: liveGrid || grid, live: { since: cursor, hidden_grid: liveHidden } })).result.history_cursor;
  }) - quiet[0].call_ms;
  const snap = median(() => call("snapshot", { grid }));
  call("destroy", {});
  return { train_calls: rows, snapshot_ms: snap, quiet_train_calls: quiet, live_snapshot_ms: live };
}

const OPS = { load: (m) => load(m.bundle), reference, engine: engineCalls };

self.onmessage = async ({ data }) => {
  try {
    self.postMessage({ id: data.id, ok: true, result: await OPS[data.op](data) });
  } catch (e) {
    self.postMessage({ id: data.id, ok: false, error: String(e && e.stack ? e.stack : e) });
  }
};
