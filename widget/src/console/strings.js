// The terminal's own words, Spanish (default) and English with the same keys. What Python and
// the engine say (error labels, the refusal of a value, ayuda()) comes from the engine.

export const TERMINAL_STRINGS = {
  es: {
    title: "Consola de Python",
    input: "Código Python",
    input_more: "Código Python, continuación del bloque",
    run: "Ejecutar",
    stop: "Detener",
    hint: "Enter ejecuta · Mayús+Enter: otra línea · Tab completa · ↑ ↓ historial · Ctrl+C interrumpe",
    output: "Salida de la consola",
    waiting: "Esperando a la red…",
    ready: "Lista",
    running: "Ejecutando…",
    no_widget: "No hay ningún widget en esta página: la consola necesita uno.",
    no_widget_for: "No hay ningún widget con id «{id}» en esta página.",
    widget_error: "El widget no ha podido cargar Python: la consola no está disponible.",
    attached: "Conectada a la red del widget «{id}».",
    interrupt_soon: "Ctrl+C: esta página no puede interrumpir al instante; la orden se detendrá sola a los {s} s.",
    cancelled: "Entrada cancelada.",
    frames: "Traza completa ({n} marcos, el más reciente primero)",
    line: "línea {n}",
    in_fn: "en {name}",
    restarted: "Python no respondía y se ha reiniciado: la red vuelve a su último estado guardado. Las variables de la consola se han perdido.",
    failed: "La consola no ha podido ejecutar la orden: {message}",
    completions: "Posibles nombres",
    result_lines: "{n} líneas de salida.",
  },
  en: {
    title: "Python console",
    input: "Python code",
    input_more: "Python code, block continues",
    run: "Run",
    stop: "Stop",
    hint: "Enter runs · Shift+Enter: new line · Tab completes · ↑ ↓ history · Ctrl+C interrupts",
    output: "Console output",
    waiting: "Waiting for the network…",
    ready: "Ready",
    running: "Running…",
    no_widget: "There is no widget on this page: the console needs one.",
    no_widget_for: "There is no widget with id “{id}” on this page.",
    widget_error: "The widget could not load Python: the console is not available.",
    attached: "Attached to the network of widget “{id}”.",
    interrupt_soon: "Ctrl+C: this page cannot interrupt at once; the command stops by itself after {s} s.",
    cancelled: "Input cancelled.",
    frames: "Full traceback ({n} frames, most recent first)",
    line: "line {n}",
    in_fn: "in {name}",
    restarted: "Python stopped responding and was restarted: the network is back to its last saved state. The console's variables are lost.",
    failed: "The console could not run the command: {message}",
    completions: "Possible names",
    result_lines: "{n} lines of output.",
  },
};

export function termText(lang, key, params = {}) {
  const table = TERMINAL_STRINGS[lang === "en" ? "en" : "es"];
  return String(table[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ""));
}
