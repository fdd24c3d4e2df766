// Injected by the bench into every page it measures, before the page's own scripts (the
// widget is never changed for the bench). Records into window.__bench:
//   frames      animation-frame timestamps (the page's fps)
//   steps       backprop:step events (one per snapshot the widget drew) with their time
//   longTasks   Long Tasks API entries (main-thread tasks over 50 ms)
//   shell       time from navigation to the first frame in which a widget's shadow root had content
//   ready       backprop:ready times, one per widget
//   posted      messages the page's workers posted (snapshots, with the epoch they carry)
//   workers     how many Web Workers the page created
//   callbacks   the page's own animation-frame callbacks: when and how long (its drawing script)
(() => {
  const b = (window.__bench = { frames: [], steps: [], longTasks: [], shell: null, ready: [], posted: [], workers: 0, callbacks: [] });
  const nativeFrame = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (fn) => nativeFrame((ts) => {
    const t = performance.now();
    try {
      fn(ts);
    } finally {
      b.callbacks.push({ t, ms: performance.now() - t });
    }
  });
  const tick = (t) => {
    b.frames.push(t);
    if (b.shell === null) {
      const w = document.querySelector("backprop-widget");
      if (w && w.shadowRoot && w.shadowRoot.childElementCount > 0) b.shell = t;
    }
    nativeFrame(tick);
  };
  nativeFrame(tick);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch (e) {
    b.longTaskError = String(e);
  }
  document.addEventListener("backprop:step", (e) => b.steps.push({ t: performance.now(), epoch: e.detail && e.detail.epoch }), true);
  document.addEventListener("backprop:ready", () => b.ready.push(performance.now()), true);
  b.errors = [];
  document.addEventListener("backprop:error", (e) => b.errors.push(JSON.stringify(e.detail)), true);
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      b.workers += 1;
      this.addEventListener("message", (e) => {
        if (e.data && e.data.error) b.errors.push(JSON.stringify(e.data.error).slice(0, 600));
        const s = e.data && e.data.snapshot;
        // work: where the worker's time went since its previous snapshot (worker/training.js).
        if (s) b.posted.push({ t: performance.now(), epoch: s.epoch, work: e.data.work || null });
      });
    }
  };
  // window.__bench.since(t0): what happened from t0 (performance.now()) to now.
  b.since = (t0) => {
    const now = performance.now();
    const lt = b.longTasks.filter((x) => x.start >= t0);
    const posted = b.posted.filter((s) => s.t >= t0);
    const work = { train_ms: 0, snapshot_ms: 0, wall_ms: 0, epochs: 0, calls: 0, snapshots: 0 };
    for (const s of posted) {
      if (!s.work) continue;
      for (const k of ["train_ms", "snapshot_ms", "wall_ms", "epochs", "calls"]) work[k] += s.work[k] || 0;
      work.snapshots += 1;
    }
    const callbacks = b.callbacks.filter((c) => c.t >= t0);
    return {
      t0, t1: now,
      frames: b.frames.filter((t) => t >= t0).length,
      steps: b.steps.filter((s) => s.t >= t0).length,
      posted: posted.length,
      worker: work,
      callbacks_ms: callbacks.reduce((m, c) => m + c.ms, 0),
      longest_callback_ms: callbacks.reduce((m, c) => Math.max(m, c.ms), 0),
      long_tasks: lt.length,
      longest_task_ms: lt.reduce((m, x) => Math.max(m, x.duration), 0),
      epochs: [...document.querySelectorAll("backprop-widget")].map((w) => Number(w.dataset.epoch || 0)),
    };
  };
  // Keep the arrays short on long runs: only the last 60 s matter.
  setInterval(() => {
    const cut = performance.now() - 60000;
    for (const k of ["frames", "steps", "posted", "callbacks"]) {
      const a = b[k];
      let i = 0;
      while (i < a.length && (typeof a[i] === "number" ? a[i] : a[i].t) < cut) i++;
      if (i) a.splice(0, i);
    }
  }, 5000);
})();
