// "Copiar enlace", "Exportar" and "Importar": the widget's state leaves and comes back through
// the engine (its config for the link; its save/load for the file, so training continues bit
// for bit). Built with createElement; refusals are the engine's words or the share strings.

import { el } from "../panels/dom.js";
import { readShared, shareHash } from "./link.js";
import { panelText } from "../panels/strings.js";

const MAX_FILE_BYTES = 20_000_000;

export class ShareTools {
  // ctx: lang, id, snapshot(), setConfig(partial), call(cmd, args), loadState(state),
  // notify(code, message), status(message).
  constructor(after, ctx) {
    this.ctx = ctx;
    this.text = (key, params) => panelText(ctx.lang, key, params);
    const text = this.text;
    const button = (key, onClick) => {
      const b = el("button", { text: text(key), attrs: { type: "button" } });
      b.addEventListener("click", () => onClick().catch((e) => this._say(e.message, true)));
      return b;
    };
    this.file = el("input", { attrs: { type: "file", accept: "application/json,.json", "aria-label": text("share.import") } });
    this.file.hidden = true;
    this.file.addEventListener("change", () => this._import().catch((e) => this._say(e.message, true)));
    this.message = el("span", { class: "bp-share-status", attrs: { role: "status" } });
    this.bar = el("div", { class: "bp-switcher bp-share" },
      button("share.copy", () => this.copyLink()), button("share.export", () => this.exportFile()),
      button("share.import", async () => this.file.click()), this.file, this.message);
    after.after(this.bar);
  }

  _say(message, bad = false) {
    this.message.textContent = message;
    this.message.dataset.status = bad ? "bad" : "ok";
  }

  // The page URL with this widget's config in its hash (the address bar shows it too).
  async copyLink() {
    const config = this.ctx.snapshot()?.config;
    if (!config) return;
    const url = new URL(location.href);
    url.hash = shareHash(url.hash, this.ctx.id, config);
    history.replaceState(history.state, "", url.href);
    try {
      await navigator.clipboard.writeText(url.href);
      this._say(this.text("share.copied"));
    } catch {
      this._say(this.text("share.in_address_bar"));
    }
  }

  // Once ready: apply a config from the page's hash, or say why it was refused (the widget
  // keeps its page config either way).
  async restoreFromLink() {
    const shared = readShared(location.hash, this.ctx.id);
    if (!shared) return;
    if (shared.error) {
      this.ctx.notify("invalid_link", this.text(shared.error));
      return;
    }
    try {
      await this.ctx.setConfig(shared.config);
      this._say(this.text("share.restored"));
    } catch (e) {
      this.ctx.notify("invalid_link", `${this.text("share.bad_link")} ${e.message}`);
    }
  }

  async exportFile() {
    const { state } = await this.ctx.call("save", {});
    const blob = new Blob([JSON.stringify(state)], { type: "application/json" });
    const a = el("a", { attrs: { href: URL.createObjectURL(blob), download: `backprop-${this.ctx.id || "red"}-epoca-${state.epoch}.json` } });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    this._say(this.text("share.exported", { epoch: state.epoch }));
  }

  async _import() {
    const file = this.file.files?.[0];
    this.file.value = "";
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) throw new Error(this.text("share.bad_file"));
    let state;
    try {
      state = JSON.parse(await file.text());
    } catch {
      throw new Error(this.text("share.bad_file"));
    }
    await this.ctx.loadState(state);
    this._say(this.text("share.imported", { epoch: this.ctx.snapshot()?.epoch ?? 0 }));
  }
}
