// The worker's training loop: trains in short calls and posts live snapshots, paced by what
// the page draws (docs/performance.md). A classic script sharing the worker's global scope
// (see worker.js).
"use strict";

const FRAME_MS = 15; // a live snapshot at most this often per session (a bit above 60 Hz)
const SLICE_MS = 12; // a training call never holds stop/set_config back longer than this
const MAX_EPOCHS_PER_SLICE = 2000;

const training = new Map(); // session -> job {grid, live, due, posted, perEpoch, cursor}
let sliceScheduled = false;

// Training is decoupled from drawing. Each session's job alternates between training calls
// that return no snapshot (cheap: the epochs and a few numbers) and, once per frame interval,
// a live snapshot (backprop/live.py: what changed and what the open views draw). A training
// call is sized from the measured cost per epoch to end when the next snapshot is due, and never
// runs longer than SLICE_MS, so stop_training and set_config get in quickly.

// The next step of a job at time `now`: {post: true} or {epochs: n}. Pure, for the unit tests.
function nextStep(job, now) {
  // Never two snapshots without an epoch in between (a snapshot may outlast a frame).
  if (!job.posted && (job.due === undefined || now >= job.due)) return { post: true };
  if (job.posted && now >= job.due) return { epochs: 1 };
  const budget = Math.min(job.due - now, SLICE_MS);
  const per = job.perEpoch || 0;
  if (!(per > 0)) return { epochs: 1 };
  const epochs = Math.round(budget / per);
  // Less than half an epoch left: post a little early rather than a whole epoch late (but
  // never twice without an epoch in between).
  if (epochs < 1) return budget < job.due - now || job.posted ? { epochs: 1 } : { post: true };
  return { epochs: Math.min(MAX_EPOCHS_PER_SLICE, epochs) };
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

// One step of one job; false when the job ended (an error, divergence).
function stepJob(session, job) {
  const t0 = performance.now();
  const step = nextStep(job, t0);
  job.posted = !!step.post;
  if (step.post) {
    // Due times step by FRAME_MS (a late snapshot makes the next one come sooner), unless the
    // job fell a whole frame behind.
    job.due = job.due !== undefined && t0 - job.due < FRAME_MS ? job.due + FRAME_MS : t0 + FRAME_MS;
    const reply = callPython(session, "snapshot", liveArgs(job));
    if (!reply.ok) return fail(session, reply.error);
    job.cursor = reply.result.history_cursor;
    const diverged = reply.result.status === "diverged";
    post({ session, snapshot: reply.result, training: !diverged }, reply.buffer);
    return !diverged;
  }
  const reply = callPython(session, "train", { epochs: step.epochs, snapshot: "none" });
  if (!reply.ok) return fail(session, reply.error);
  noteEpochs(job, step.epochs, Math.max(performance.now() - t0, 0.01));
  // A diverged network is shown at once, and the loop stops there.
  if (reply.result.status === "diverged") job.due = t0;
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
  if (!training.has(session)) job.due = undefined;
  training.set(session, job);
  scheduleSlice();
  return { training: true };
}

function stopTraining(session) {
  const was = training.delete(session);
  return { training: false, was_training: was };
}
