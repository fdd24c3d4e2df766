// Entry point: defines <backprop-widget> once, whether this file is loaded unbundled as an
// ES module or bundled by Hugo's js.Build (relative imports only, no bare specifiers).
// boot.js first: it starts the page's worker before the other modules run.
import "./boot.js";
import { BackpropWidget, defineBackpropWidget } from "./element.js";
import { BackpropTerminal, defineBackpropTerminal } from "./console/terminal.js";

defineBackpropWidget();
defineBackpropTerminal();

export { BackpropWidget, defineBackpropWidget, BackpropTerminal, defineBackpropTerminal };
