// The first view, shipped beside the bundle: Pyodide and numpy take seconds to start, so
// build.py asks the engine (python/backprop/firstview.py, on CPython) for what the widget asks
// first — the initial snapshot with its data and grids, the first step's trace, the snapshot
// after that step — for every preset, and writes the replies to first-view/<key>.json. The
// session controller answers those calls from here until the engine is ready; anything else
// waits for the engine. Nothing is computed here: the numbers are the engine's replies.

import { CONTRACT } from "./contract.js";

const VERSION = 1;
const FOLDER = "first-view/";
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

// JSON with sorted keys, as JSON.stringify writes values (firstview.canonical_config writes the
// same text; tests/build/test_first_view.py checks both on every preset).
function sortedJson(v) {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

// Every config field (the contract's default where the config has none) and the language.
export function canonicalConfig(config, lang) {
  const full = {};
  for (const [name, field] of Object.entries(CONTRACT.config.fields)) full[name] = field.default;
  return sortedJson({ ...full, ...config, lang });
}

// FNV-1a (64 bit) of the text's UTF-8 bytes, 16 hex digits: the file's name. The file repeats the
// whole text, and a file whose text differs is not used, so a collision costs nothing.
export function configKey(text) {
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK;
  return h.toString(16).padStart(16, "0");
}

// The grid's float32 values travel as base64; the views read a Float32Array, as from the worker.
function decodeGrid(snap) {
  if (typeof snap?.grid?.values !== "string") return snap;
  const bin = atob(snap.grid.values);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return { ...snap, grid: { ...snap.grid, values: new Float32Array(bytes.buffer) } };
}

function withoutGrid(snap) {
  const copy = { ...snap };
  delete copy.grid;
  return copy;
}

// The engine on CPython (the shipped numbers) and in Pyodide (the reader's) agree to about
// 1e-15: numpy sums a matrix product in another order without BLAS. The takeover accepts the
// same structure with numbers this close (the reader sees four significant digits).
const CLOSE = 1e-9;
export function sameNumbers(a, b) {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) <= CLOSE * Math.max(1, Math.abs(a), Math.abs(b));
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameNumbers(x, b[i]));
  if (a && typeof a === "object") {
    const keys = Object.keys(a);
    return !!b && typeof b === "object" && keys.length === Object.keys(b).length && keys.every((k) => sameNumbers(a[k], b[k]));
  }
  return a === b;
}

const sameList = (a, b) => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);

export class FirstView {
  constructor(json) {
    this.config = json.config;
    this.grid = json.grid;
    this.indices = json.indices;
    this.trace = json.trace;
    // The snapshots before and after the step, as shipped; a grid is decoded when first drawn
    // (the first view draws only the one before, the trace's reply carries none).
    this.shipped = { before: json.before, after: json.after };
    this.decoded = {};
    // The engine's saved session before and after the step (what `save` answers, so an export
    // meanwhile is a real state); recognised when they come back to `load`.
    this.saved = json.saved;
    this.position = "before"; // the state the engine would be at
    this.traced = false; // the first step was answered from here
    this.real = {}; // position -> the engine's saved state, once it runs
  }

  // The engine's reply to (cmd, args) at this position, or undefined: only the engine can answer.
  answer(cmd, args = {}) {
    const at = this.position;
    if (cmd === "snapshot" && args.grid === this.grid && !args.live) return { ...this.withGrid(at) };
    if (cmd === "save") return { state: this.saved[at] };
    if (cmd === "load" && this.positionOf(args.state)) {
      this.position = this.positionOf(args.state);
      return withoutGrid(this.shipped[this.position]);
    }
    if (cmd === "trace" && at === "before" && sameList(args.indices, this.indices)) {
      this.traced = true;
      this.position = "after";
      return { trace: this.trace, snapshot: withoutGrid(this.shipped.after) };
    }
    return undefined;
  }

  // The snapshot at a position with its grid as the views read it (decoded once).
  withGrid(at) {
    if (!this.decoded[at]) this.decoded[at] = decodeGrid(this.shipped[at]);
    return this.decoded[at];
  }

  // "before" or "after" for a state this view handed out, else null.
  positionOf(state) {
    if (state === this.saved.before) return "before";
    return state === this.saved.after ? "after" : null;
  }

  // A state to send to the engine: one handed out here becomes the engine's own state (the same
  // session, saved by the engine that now runs).
  engineState(state) {
    const at = this.positionOf(state);
    return at ? this.real[at] : state;
  }
}

// The folder's index (keys present), fetched once per bundle, so a config without a file costs
// no failed request (and no console error).
const indexes = new Map();
function fetchIndex(bundleUrl) {
  if (!indexes.has(bundleUrl)) {
    indexes.set(bundleUrl, fetch(new URL(`${FOLDER}index.json`, bundleUrl))
      .then((r) => (r.ok ? r.json() : []))
      .then((keys) => new Set(Array.isArray(keys) ? keys : []))
      .catch(() => new Set()));
  }
  return indexes.get(bundleUrl);
}

// The page preloads this file (the Hugo module's first-view.html, which knows it is shipped):
// no index needed, and fetch() with the same URL and credentials mode takes the preloaded reply.
function preloaded(url) {
  if (typeof document === "undefined") return false;
  return [...document.querySelectorAll('link[rel="preload"][as="fetch"]')].some((l) => l.href === url);
}

// A file's JSON, or null; one request per file and page (a prefetch and the start share it).
const files = new Map();
function fetchFile(bundleUrl, key) {
  const url = new URL(`${FOLDER}${key}.json`, bundleUrl).href;
  if (!files.has(url)) {
    const shipped = preloaded(url) ? Promise.resolve(true) : fetchIndex(bundleUrl).then((keys) => keys.has(key));
    files.set(url, shipped
      .then((ok) => (ok ? fetch(url) : null))
      .then((res) => (res?.ok ? res.json() : null))
      .catch(() => null));
  }
  return files.get(url);
}

// A new FirstView of this config, or null (no file, another version, another grid, a failed
// request): then the widget loads as before.
export async function fetchFirstView(bundleUrl, config, lang, grid) {
  const text = canonicalConfig(config, lang);
  const json = await fetchFile(bundleUrl, configKey(text));
  return json?.version === VERSION && json.config === text && json.grid === grid ? new FirstView(json) : null;
}
