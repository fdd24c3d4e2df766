// The shareable link: a widget's whole config (seed included) in the page URL's hash, one
// parameter per widget id (#bp-w1=<JSON>&bp-w2=…), and the checks a hash from a stranger must
// pass before it reaches the engine (which validates the values themselves).

import { CONTRACT } from "../contract.js";
import { checkLayerSize, checkWidgetLimit, fieldLimits } from "../controls.js";

// Fields a link may carry: every config field but the page's language.
export const LINK_FIELDS = CONTRACT.config.order.filter((n) => n !== "lang");
export const MAX_LINK_CHARS = 4000;

export function linkKey(id) {
  return `bp-${id || "backprop"}`;
}

// The hash with this widget's config set (other widgets' parameters kept).
export function shareHash(hash, id, config) {
  const params = new URLSearchParams(String(hash || "").replace(/^#/, ""));
  const kept = Object.fromEntries(LINK_FIELDS.filter((k) => config?.[k] !== undefined).map((k) => [k, config[k]]));
  params.set(linkKey(id), JSON.stringify(kept));
  return `#${params.toString()}`;
}

// This widget's config in a hash: null when absent, {config} when it passes the checks,
// {error} (a widget string key) otherwise.
export function readShared(hash, id) {
  const text = String(hash || "").replace(/^#/, "");
  if (!text) return null;
  let raw;
  try {
    raw = new URLSearchParams(text).get(linkKey(id));
  } catch {
    return { error: "share.bad_link" };
  }
  if (raw === null) return null;
  if (raw.length > MAX_LINK_CHARS) return { error: "share.bad_link" };
  let config;
  try {
    config = JSON.parse(raw);
  } catch {
    return { error: "share.bad_link" };
  }
  if (!config || typeof config !== "object" || Array.isArray(config)) return { error: "share.bad_link" };
  for (const [key, value] of Object.entries(config)) {
    if (!LINK_FIELDS.includes(key)) return { error: "share.bad_link" };
    const plain = value === null || ["string", "number", "boolean"].includes(typeof value);
    // Lists: layer sizes (numbers) or, for a choice list (activations per layer), names.
    const item = CONTRACT.config.fields[key]?.type === "choice_list" ? "string" : "number";
    const list = Array.isArray(value) && value.length <= (fieldLimits(key).max_length ?? Infinity) && value.every((v) => typeof v === item);
    if (!plain && !list) return { error: "share.bad_link" };
    // The widget's own limits hold for a link as for the form (the engine checks the rest).
    if (checkWidgetLimit(key, value)) return { error: "share.bad_link" };
    if (key === "hidden" && (!list || value.length > fieldLimits("hidden").max_length || value.some((n) => checkLayerSize(n)))) {
      return { error: "share.bad_link" };
    }
  }
  return { config };
}
