// Injected by the bench into every page it measures, before the page's own scripts (the
// widget is never changed for the bench). Records into window.__bench:
//   frames      animation-frame timestamps (the page's fps)
//   steps       backprop:step events (one per snapshot the widget drew) with their time
//   longTasks   Long Tasks API entries (main-thread tasks over 50 ms)
//   shell       time from navigation to the first frame in which a widget's shadow root had content
//   ready       backprop:ready times, one per widget
//   posted      messages the page's workers posted (snapshots, with the epoch they carry)
//   workers     how many Web Workers the page created
(() => {
  const b = (window.__bench = { frames: [], steps: [], longTasks: [], shell: null, ready: [], posted: [], workers: 0 });
  const tick = (t) => {
    b.frames.push(t);
    if (b.shell === null) {
      const w = document.querySelector("backprop-widget");
      if (w && w.shadowRoot && w.shadowRoot.childElementCount > 0) b.shell = t;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
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
        if (s) b.posted.push({ t: performance.now(), epoch: s.epoch });
      });
    }
  };
  // window.__bench.since(t0): what happened from t0 (performance.now()) to now.
  b.since = (t0) => {
    const now = performance.now();
    const lt = b.longTasks.filter((x) => x.start >= t0);
    return {
      t0, t1: now,
      frames: b.frames.filter((t) => t >= t0).length,
      steps: b.steps.filter((s) => s.t >= t0).length,
      posted: b.posted.filter((s) => s.t >= t0).length,
      long_tasks: lt.length,
      longest_task_ms: lt.reduce((m, x) => Math.max(m, x.duration), 0),
      epochs: [...document.querySelectorAll("backprop-widget")].map((w) => Number(w.dataset.epoch || 0)),
    };
  };
  // Keep the arrays short on long runs: only the last 60 s matter.
  setInterval(() => {
    const cut = performance.now() - 60000;
    for (const k of ["frames", "steps", "posted"]) {
      const a = b[k];
      let i = 0;
      while (i < a.length && (typeof a[i] === "number" ? a[i] : a[i].t) < cut) i++;
      if (i) a.splice(0, i);
    }
  }, 5000);
})();
