// Canvas colours come from the element's CSS custom properties (styles.js declares them, light
// and dark; a site may override them on backprop-widget), so canvases follow the page theme.
// Read once per redraw: one getComputedStyle on the host.

// Canvas colour name -> custom property.
export const THEME_PROPERTIES = {
  fg: "--bp-fg",
  bg: "--bp-bg",
  muted: "--bp-muted",
  grid: "--bp-grid",
  node: "--bp-node-border",
  highlight: "--bp-highlight",
  accent: "--bp-accent", // the parameters the reader edited in step mode
  train: "--bp-loss-train",
  val: "--bp-loss-val",
};

// {fg, bg, ...} from an element's computed style (any object with getPropertyValue works, so
// tests pass a plain stand-in).
export function readTheme(style) {
  const theme = {};
  for (const [name, prop] of Object.entries(THEME_PROPERTIES)) {
    theme[name] = String(style?.getPropertyValue(prop) ?? "").trim();
  }
  return theme;
}

export function hostTheme(host) {
  return readTheme(typeof getComputedStyle === "function" ? getComputedStyle(host) : null);
}
