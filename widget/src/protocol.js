// The worker protocol, as the rest of the widget imports it: the envelope (envelope.js: the
// messages, error codes, WidgetError) and the page-wide worker client (worker-client.js).

export * from "./envelope.js";
export * from "./worker-client.js";
