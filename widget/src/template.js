// The element's shadow DOM: loading, error and body panels, the toolbar, the three views, the
// step-by-step panel and the settings form. Texts are filled in by the element (data-i18n keys).
// Built with createElement, never innerHTML: Trusted Types (require-trusted-types-for 'script')
// forbid markup sinks, and a strict style-src forbids <style> and style attributes (the
// stylesheet is adopted, styles.js). MARKUP is this module's own constant, read by a minimal
// reader of tags, attributes and text (no entities, no comments, no style attributes).

export const MARKUP = `<div class="bp-root" part="root">
  <div class="bp-panel bp-loading" role="status" aria-live="polite">
    <div><div class="bp-loading-title"></div><div class="bp-loading-stage"></div>
      <progress class="bp-loading-bar" max="1" value="0" hidden></progress><div class="bp-loading-bytes" aria-hidden="true" hidden></div></div>
  </div>
  <div class="bp-panel bp-error" role="alert" hidden>
    <p class="bp-error-title"></p><p class="bp-detail"></p><p class="bp-detail bp-tech"></p>
    <button type="button" class="bp-retry bp-primary"></button>
  </div>
  <div class="bp-body" hidden>
    <div class="bp-bar">
      <div class="bp-buttons">
        <button type="button" class="bp-train bp-primary" data-group="train"></button>
        <button type="button" class="bp-step" data-group="step"></button>
        <button type="button" class="bp-reset" data-group="reset"></button>
      </div>
      <dl class="bp-stats" aria-live="off">
        <div class="bp-stat"><dt data-i18n="stat.epoch"></dt><dd class="bp-epoch">0</dd></div>
        <div class="bp-stat"><dt data-i18n="stat.loss"></dt><dd class="bp-loss"></dd></div>
        <div class="bp-stat"><dt data-i18n="stat.val_loss"></dt><dd class="bp-val-loss"></dd></div>
        <div class="bp-stat bp-acc-stat"><dt data-i18n="stat.accuracy"></dt><dd class="bp-accuracy"></dd></div>
        <div class="bp-stat bp-val-acc-stat" hidden><dt data-i18n="stat.val_accuracy"></dt><dd class="bp-val-accuracy"></dd></div>
      </dl>
    </div>
    <div class="bp-panel bp-banner" role="alert" hidden></div>
    <div class="bp-notice" role="status" aria-live="polite" hidden></div>
    <div class="bp-views">
      <figure class="bp-view bp-network">
        <figcaption data-i18n="network.title"></figcaption>
        <canvas tabindex="0" role="img"></canvas>
        <div class="bp-legend"></div>
        <div class="bp-tip" aria-live="polite"></div>
      </figure>
      <figure class="bp-view bp-data">
        <figcaption data-i18n="data.title"></figcaption>
        <canvas role="img"></canvas>
        <div class="bp-legend bp-data-legend"></div>
      </figure>
      <figure class="bp-view bp-chart">
        <figcaption data-i18n="chart.title"></figcaption>
        <canvas role="img"></canvas>
        <div class="bp-legend">
          <span><span class="bp-swatch bp-swatch-train"></span><span data-i18n="chart.train"></span></span>
          <span><span class="bp-swatch bp-swatch-val"></span><span data-i18n="chart.val"></span></span>
        </div>
        <div class="bp-tip bp-chart-tip" aria-live="polite"></div>
      </figure>
    </div>
    <section class="bp-panel bp-stepper" hidden></section>
    <form class="bp-controls" hidden novalidate></form>
  </div>
</div>`;

const TOKEN = /<\/([a-z0-9-]+)\s*>|<([a-z0-9-]+)((?:\s+[a-z0-9-]+(?:="[^"]*")?)*)\s*>|([^<]+)/gi;
const ATTRIBUTE = /([a-z0-9-]+)(?:="([^"]*)")?/gi;
const VOID = new Set(["input", "br", "img", "hr"]);

// Appends the template to `root` (a shadow root) and returns it.
export function buildTemplate(root) {
  const doc = root.ownerDocument || document;
  const stack = [root];
  for (const m of MARKUP.matchAll(TOKEN)) {
    const parent = stack[stack.length - 1];
    if (m[1]) {
      if (stack.length > 1) stack.pop();
    } else if (m[2]) {
      const node = doc.createElement(m[2]);
      for (const a of m[3].matchAll(ATTRIBUTE)) {
        if (a[1].toLowerCase() === "style" || a[1].toLowerCase().startsWith("on")) throw new Error(`template: ${a[1]} is not allowed`);
        node.setAttribute(a[1], a[2] ?? "");
      }
      parent.append(node);
      if (!VOID.has(m[2])) stack.push(node);
    } else if (m[4].trim()) {
      parent.append(m[4]);
    }
  }
  return root;
}
