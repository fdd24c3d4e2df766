// Draw at most once per animation frame: requests coalesce until the frame runs. With
// prefers-reduced-motion there is no per-frame animation, at most two draws a second.

export const REDUCED_MOTION_MS = 500;

// One MediaQueryList for the page: its .matches follows the setting, so a frame asks it
// without parsing a media query each time.
let motionQuery;
export function reducedMotion() {
  if (motionQuery === undefined) {
    motionQuery = typeof matchMedia === "function" ? matchMedia("(prefers-reduced-motion: reduce)") : null;
  }
  return !!motionQuery && motionQuery.matches;
}

export class FrameScheduler {
  constructor(run) {
    this.run = run;
    this.frame = 0;
    this.lastRun = 0;
  }

  // Note that a draw happened outside the scheduler (for the reduced-motion spacing).
  ran() {
    this.lastRun = performance.now();
  }

  request() {
    if (this.frame) return;
    const delay = reducedMotion() ? Math.max(0, REDUCED_MOTION_MS - (performance.now() - this.lastRun)) : 0;
    const next = () => {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.run();
      });
    };
    if (delay > 0) {
      this.frame = -1;
      setTimeout(() => {
        this.frame = 0;
        next();
      }, delay);
    } else next();
  }
}
