// Moving the current point of the loss landscape by hand (unit 1: "fit two weights yourself"):
// the reader drags the point, moves it with the arrow keys or types a weight, and the two
// pinned weights are set through the engine's `set_parameter`, which validates them. At most
// one engine call is in flight: moves made meanwhile wait, and only the newest is sent. What is
// drawn afterwards is the engine's snapshot (the weights, the boundary, the loss), never a
// value computed here.

// An arrow key moves a weight by this fraction of the map's range.
export const KEY_FRACTION = 1 / 24;

const clamp01 = (f) => Math.min(1, Math.max(0, f));

// The map's geometry ({box: {x, y, s}, a0, a1, b0, b1}) → the two weights under a pixel,
// clamped to the map (the vertical axis grows upwards).
export function weightsAt(geom, px, py) {
  const fx = clamp01((px - geom.box.x) / geom.box.s);
  const fy = clamp01((py - geom.box.y) / geom.box.s);
  return [geom.a0 + fx * (geom.a1 - geom.a0), geom.b1 - fy * (geom.b1 - geom.b0)];
}

// An arrow key → the two weights one step away from `point`, kept on the map; null otherwise.
export function keyStep(geom, point, key) {
  const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  const m = moves[key];
  if (!m || !point) return null;
  const clamp = (v, lo, hi) => Math.min(Math.max(v, Math.min(lo, hi)), Math.max(lo, hi));
  return [clamp(point[0] + m[0] * KEY_FRACTION * (geom.a1 - geom.a0), geom.a0, geom.a1),
    clamp(point[1] + m[1] * KEY_FRACTION * (geom.b1 - geom.b0), geom.b0, geom.b1)];
}

// Sends the reader's moves to the engine, one call at a time.
// host: {call, refresh, params() → [[l, j, i], [l, j, i]], point() → [a, b] | null,
// moved() (before the redraw that shows the new point), refused(error, k), busy(flag)?}.
export class PointMover {
  constructor(host) {
    this.host = host;
    this.want = null;
    this.busy = false;
  }

  // values: [a, b], either may be null (leave that weight as it is).
  move(values) {
    this.want = values;
    if (!this.busy) this._pump();
  }

  async _pump() {
    this.busy = true;
    this.host.busy?.(true);
    try {
      while (this.want) {
        const want = this.want;
        this.want = null;
        this.sending = want;
        await this._send(want);
      }
    } finally {
      this.busy = false;
      this.sending = null;
      this.host.busy?.(false);
    }
  }

  // Where the point is headed: `point` with the newest move not yet drawn applied (so arrow
  // keys pressed quickly add up instead of repeating the same step from a stale point).
  ahead(point) {
    const last = this.want ?? this.sending;
    if (!point || !last) return point;
    return point.map((v, k) => (typeof last[k] === "number" ? last[k] : v));
  }

  async _send(want) {
    const { host } = this;
    const params = host.params();
    const now = host.point();
    let changed = false;
    for (let k = 0; k < 2; k++) {
      if (want[k] === null || want[k] === undefined || (now && now[k] === want[k])) continue;
      const [l, j, i] = params[k];
      try {
        await host.call("set_parameter", { layer: l + 1, j, i, value: want[k] });
        changed = true;
      } catch (e) {
        this.want = null; // a refused value: drop what was queued behind it
        host.refused(e, k);
        break;
      }
    }
    if (!changed) return;
    host.moved();
    await host.refresh();
  }
}

// Pointer and keyboard on the map's canvas → PointMover moves. view: {geometry() → the map's
// geometry or null, point() → the engine's [a, b] or null, dragging(target) (the pointer's
// place while dragging, null when done)}.
export function attachPointer(canvas, view, mover) {
  let dragging = false;
  const at = (ev) => {
    const rect = canvas.getBoundingClientRect();
    return weightsAt(view.geometry(), ev.clientX - rect.left, ev.clientY - rect.top);
  };
  canvas.addEventListener("pointerdown", (ev) => {
    const geom = view.geometry();
    if (!geom || ev.button > 0) return;
    dragging = true;
    canvas.setPointerCapture?.(ev.pointerId);
    ev.preventDefault();
    const target = at(ev);
    view.dragging(target);
    mover.move(target);
  });
  canvas.addEventListener("pointermove", (ev) => {
    if (!dragging) return;
    const target = at(ev);
    view.dragging(target);
    mover.move(target);
  });
  const end = () => {
    if (!dragging) return;
    dragging = false;
    view.dragging(null);
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.addEventListener("keydown", (ev) => {
    const geom = view.geometry();
    const next = geom && keyStep(geom, mover.ahead(view.point()), ev.key);
    if (!next) return;
    ev.preventDefault();
    mover.move(next);
  });
}
