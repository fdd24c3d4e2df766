// Load-time benchmark under Node: one fresh process per measurement.
//   node benchmarks/load/node.mjs --bundle DIR --mode lock|micropip  → one JSON line
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : fallback; };
const bundle = path.resolve(arg("--bundle", "dist/backpropagation")) + path.sep;
const mode = arg("--mode", "lock");

const t0 = performance.now();
const { loadPyodide } = await import(pathToFileURL(bundle + "pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL: bundle });
const tCore = performance.now();
if (mode === "micropip") {
  const lock = JSON.parse(readFileSync(bundle + "pyodide-lock.json", "utf8"));
  await pyodide.loadPackage(["numpy", "micropip"], { messageCallback: () => {} });
  const micropip = pyodide.pyimport("micropip");
  await micropip.install(pathToFileURL(bundle + lock.packages.backprop.file_name).href, { deps: false });
  micropip.destroy();
} else {
  await pyodide.loadPackage(["numpy", "backprop"], { messageCallback: () => {} });
}
const tPackages = performance.now();
pyodide.runPython(readFileSync(new URL("import_engine.py", import.meta.url), "utf8"));
const tEnd = performance.now();
console.log(JSON.stringify({ mode, core: tCore - t0, packages: tPackages - tCore, imports: tEnd - tPackages, total: tEnd - t0 }));
