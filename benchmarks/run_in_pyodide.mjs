// Runs one Python script inside the real bundle under Node (engine from the bundle's wheel).
//   node benchmarks/run_in_pyodide.mjs --bundle dist/backpropagation --script benchmarks/engine_bench.py
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : fallback; };
const bundle = path.resolve(arg("--bundle", "dist/backpropagation")) + path.sep;
const script = readFileSync(path.resolve(arg("--script")), "utf8");

const { loadPyodide } = await import(pathToFileURL(bundle + "pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL: bundle });
pyodide.setStdout({ write: (buf) => { process.stdout.write(buf); return buf.length; } });
pyodide.setStderr({ write: (buf) => { process.stderr.write(buf); return buf.length; } });
await pyodide.loadPackage(["numpy", "backprop"], { messageCallback: () => {} });
await pyodide.runPythonAsync(script.replace(/^#!.*\n/, ""), { globals: pyodide.toPy({ __name__: "__main__" }) });
