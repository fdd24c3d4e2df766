// The worker's training loop: trains in short calls and posts live snapshots, paced by what
// the page draws (docs/performance.md). A classic script sharing the worker's global scope
// (see worker.js).
"use strict";

const FRAME_MS = 15; // a live snapshot at most this often per session (a bit above 60 Hz)
const SLICE_MS = 16; // a training call never holds stop/set_config back longer than a frame
const WAIT_SLICE_MS = 5; // calls while the page has not drawn the last snapshot: it may any moment
const ACK_TIMEOUT_MS = 1000; // a page that draws nothing (a hidden tab) still gets one a second
const MAX_SNAPSHOT_SHARE = 0.3; // of the worker's time, at most, on live snapshots
const MAX_EPOCHS_PER_SLICE = 2000;
// The page acknowledges in its animation frames, and says when: the next acknowledgement is
// expected a whole number of the page's frames later (the time between two it took, never
// under 60 Hz: a faster screen only acknowledges sooner, a slower page is followed), reaching
// the worker about ACK_MS after it was sent.
const PAGE_FRAME_MS = 1000 / 60;
const ACK_MS = 1;
const SAME_FRAME_MS = 4; // two acknowledgements this close were sent in one frame
// Live snapshots the page may hold before it has taken them: the one its next frame draws and
// one in reserve (session.js draws the older of two), so a worker held up for most of a frame
// (two cores shared with the page) still leaves a new snapshot for every frame.
const AHEAD = 2;

const training = new Map(); // session -> job {grid, live, due, posted, inFlight, perEpoch, snapMs, cursor, takenAt, builtAt, frameMs}
let sliceScheduled = false;

// Training is decoupled from drawing. Each session's job alternates between training calls
// that return no snapshot (cheap: the epochs and a few numbers) and live snapshots
// (backprop/live.py: what changed and what the open views draw), paced by the page: the
// worker posts while the page holds fewer than AHEAD it has not taken to draw (each taken is
// acknowledged by a {drawn} message from the animation frame that draws it, with its time,
// session.js), no sooner than FRAME_MS after the last, and no sooner than its cost allows
// within MAX_SNAPSHOT_SHARE. A slow page thus gets fewer snapshots and more epochs, and never
// more than one in reserve. A training call is sized from the measured cost per epoch to end
// when the next snapshot is due or, while the worker waits for the page, when the page's
// acknowledgement should arrive (its last one plus whole frames): the acknowledgement then
// finds the worker between two calls, and the next snapshot reaches the page well before its
// following frame (a call running on past the acknowledgement would make it miss that frame).
// Past that time, calls are short until it comes, for a frame; later, they end at the page's
// frames again. No call runs longer than SLICE_MS, so stop_training and set_config get in
// quickly.

// Whether the page holds fewer than AHEAD snapshots not yet taken (or a diverged network must
// be shown at once).
function mayPost(job, now) {
  if (job.urgent) return true;
  return (job.inFlight || 0) < AHEAD || now - job.postedAt >= ACK_TIMEOUT_MS;
}

// The time between two frames of the page, as far as the worker knows.
function pageFrame(job) {
  return Math.max(PAGE_FRAME_MS, job.frameMs || 0);
}

// When the page's next acknowledgement should reach the worker (freeing a place for the next
// snapshot): in the page's first frame after the last snapshot was posted, a whole number of
// frames after its last one; undefined until the page has said when it took one.
function ackExpected(job) {
  if (job.takenAt === undefined || job.builtAt === undefined) return undefined;
  const frame = pageFrame(job);
  return job.takenAt + Math.max(1, Math.ceil((job.builtAt - job.takenAt) / frame)) * frame + ACK_MS;
}

// How long the worker may train before it looks for the page's acknowledgement again.
function untilAck(job, now, left) {
  const ack = ackExpected(job);
  if (ack === undefined) return left > 0 ? left : WAIT_SLICE_MS;
  if (ack > now) return Math.max(ack - now, left);
  const frame = pageFrame(job);
  const late = now - ack;
  // Late: it may come any moment; a frame late, the page is busy (or hidden): its next frames.
  return Math.max(late < frame ? WAIT_SLICE_MS : frame - (late % frame), left);
}

// How many epochs fit in `budget` ms (at least one; none past SLICE_MS or MAX_EPOCHS_PER_SLICE).
function epochsFor(job, budget) {
  const per = job.perEpoch || 0;
  if (!(per > 0)) return 1;
  return Math.max(1, Math.min(MAX_EPOCHS_PER_SLICE, Math.round(budget / per), Math.floor(SLICE_MS / per)));
}

// A training call meant to last `budget` ms: the epochs the estimate fits in it, and a time
// limit the engine keeps to as it goes (it stops before an epoch that would end past it; it
// always runs one). The limit is half an epoch past the budget, where the estimated epochs end
// at the latest, so it changes nothing while epochs cost what they did. On two cores shared
// with the page they often do not (the system deschedules the worker): the call then still
// ends on time, with fewer epochs, and the page's acknowledgement finds the worker waiting.
function trainStep(job, budget) {
  const ms = Math.max(0, Math.min(SLICE_MS, budget));
  const limit = ms + (job.perEpoch || 0) / 2;
  return { epochs: epochsFor(job, ms), limitMs: Math.round(limit * 100) / 100 };
}

// The next step of a job at time `now`: {post: true} or a training call {epochs, limitMs}
// (trainStep). Pure, for the unit tests.
function nextStep(job, now) {
  const left = dueIn(job, now);
  const waiting = !mayPost(job, now);
  // Never two snapshots without an epoch in between (a snapshot may outlast a frame).
  if (!waiting && !job.posted) {
    if (job.urgent || left <= 0) return { post: true };
    // Less than half an epoch left: post a little early rather than a whole epoch late.
    if (job.perEpoch > 0 && left < job.perEpoch / 2) return { post: true };
  }
  if (!waiting) return trainStep(job, left);
  // Waiting for the page: until its acknowledgement should be here (and the next one due).
  return trainStep(job, untilAck(job, now, left));
}

// How long until the next snapshot is due. When the page holds none (the worker fell behind,
// or training just started) it does not wait for the next frame's turn, only for the
// snapshots' share of the worker's time: the page gets one for its next frame and one in
// reserve again.
function dueIn(job, now) {
  if (job.due === undefined) return 0;
  if (job.inFlight > 0 || job.postedAt === undefined) return job.due - now;
  return Math.min(job.due, job.postedAt + (job.snapMs || 0) / MAX_SNAPSHOT_SHARE) - now;
}

// A snapshot posted at t0 that took ms: the next one waits for the page and for its due time.
function noteSnapshot(job, t0, ms) {
  job.snapMs = job.snapMs ? 0.7 * job.snapMs + 0.3 * ms : ms;
  // Due times step from the last due time (a late snapshot makes the next one come sooner),
  // unless the job fell a whole frame behind.
  const from = job.due !== undefined && t0 - job.due < FRAME_MS ? job.due : t0;
  job.due = from + Math.max(FRAME_MS, job.snapMs / MAX_SNAPSHOT_SHARE);
  job.inFlight = Math.min(AHEAD, (job.inFlight || 0) + 1);
  job.postedAt = t0;
  job.builtAt = t0 + ms;
  job.urgent = false;
}

// The page took one of the session's snapshots to draw ({drawn: session, at}, worker.js) in an
// animation frame, at `at` ms since the Unix epoch (performance.timeOrigin + now, on the page),
// or dropped one (no `at`).
function snapshotDrawn(session, at) {
  const job = training.get(session);
  if (!job) return;
  job.inFlight = Math.max(0, (job.inFlight || 0) - 1);
  const t = typeof at === "number" && performance.timeOrigin ? at - performance.timeOrigin : NaN;
  // No time, or one too far off to be this worker's clock: pace by the due times alone.
  if (!(Math.abs(t - performance.now()) < ACK_TIMEOUT_MS)) return;
  const gap = t - job.takenAt;
  if (gap < SAME_FRAME_MS) return;
  // The page's frames: a shorter time between two it took is followed at once, a longer one
  // gradually (one late frame is not a slow page).
  if (job.takenAt !== undefined) job.frameMs = gap < (job.frameMs || Infinity) ? gap : job.frameMs + 0.1 * (Math.min(gap, 100) - job.frameMs);
  job.takenAt = t;
}

// Learn the cost of an epoch from a training call of n epochs that took dt ms.
function noteEpochs(job, n, dt) {
  const per = dt / n;
  // A cost far off the estimate (a rebuilt network, another page's load) restarts it.
  if (!job.perEpoch || per > 2 * job.perEpoch || per < 0.5 * job.perEpoch) job.perEpoch = per;
  else job.perEpoch = 0.7 * job.perEpoch + 0.3 * per;
}

// The live snapshot's arguments: the open views' options and the history cursor.
function liveArgs(job) {
  const args = { live: { ...job.live, since: job.cursor || undefined } };
  if (job.grid) args.grid = job.grid;
  return args;
}

// Where the worker's time went since the last snapshot it posted (train calls and their
// epochs, the snapshot, and wall time: the rest is other sessions, commands and yielding),
// posted with the snapshot for the bench's breakdown. Returns the running record; a snapshot
// starts a new one.
function noteWork(job, key, t0) {
  const t1 = performance.now();
  const work = job.work || (job.work = { train_ms: 0, snapshot_ms: 0, epochs: 0, calls: 0, since: t0 });
  work[key] += t1 - t0;
  if (key !== "snapshot_ms") return work;
  job.work = null;
  const { train_ms, snapshot_ms, epochs, calls } = work;
  return { train_ms, snapshot_ms, epochs, calls, wall_ms: t1 - work.since };
}

// One step of one job; false when the job ended (an error, divergence).
function stepJob(session, job) {
  const t0 = performance.now();
  const step = nextStep(job, t0);
  job.posted = !!step.post;
  if (step.post) {
    const reply = callPython(session, "snapshot", liveArgs(job));
    if (!reply.ok) return fail(session, reply.error);
    job.cursor = reply.result.history_cursor;
    const diverged = reply.result.status === "diverged";
    noteSnapshot(job, t0, performance.now() - t0);
    const work = noteWork(job, "snapshot_ms", t0);
    post({ session, snapshot: reply.result, training: !diverged, work }, reply.buffer);
    return !diverged;
  }
  const reply = callPython(session, "train", { epochs: step.epochs, budget_ms: step.limitMs, snapshot: "none" });
  if (!reply.ok) return fail(session, reply.error);
  const ran = reply.result.epochs_run ?? step.epochs;
  if (ran > 0) noteEpochs(job, ran, Math.max(performance.now() - t0, 0.01));
  const work = noteWork(job, "train_ms", t0);
  work.epochs += ran;
  work.calls += 1;
  // A diverged network is shown at once, and the loop stops there.
  if (reply.result.status === "diverged") job.urgent = true;
  return true;
}

function fail(session, error) {
  post({ session, error, training: false });
  return false;
}

// Yield to the worker's event loop between steps: a MessageChannel message is not clamped to
// 4 ms as nested setTimeout(0) calls are, and queued commands (stop_training, set_config)
// still run first.
const tickChannel = typeof MessageChannel === "function" ? new MessageChannel() : null;
if (tickChannel) tickChannel.port1.onmessage = () => runSlice();

function scheduleSlice() {
  if (sliceScheduled || training.size === 0) return;
  sliceScheduled = true;
  if (tickChannel) tickChannel.port2.postMessage(null);
  else setTimeout(runSlice, 0);
}

function runSlice() {
  sliceScheduled = false;
  for (const [session, job] of training) {
    if (!stepJob(session, job)) training.delete(session);
  }
  scheduleSlice();
}

// args: grid (the output map's resolution) and live (the live snapshot's options: the hidden
// maps' coarser resolution, the parts the open views draw). Calling it again while training
// changes them.
function startTraining(session, args) {
  const job = training.get(session) || {};
  job.grid = args.grid || null;
  job.live = { hidden_grid: args.live?.hidden_grid, parts: args.live?.parts || [] };
  training.set(session, job);
  scheduleSlice();
  return { training: true };
}

function stopTraining(session) {
  const was = training.delete(session);
  return { training: false, was_training: was };
}

