// Runs the engine's own pytest files inside the real Pyodide bundle under Node.
//
//   node tests/pyodide/run_pytest.mjs --bundle dist/backpropagation \
//        --wheels .cache/pyodide-test-wheels --tests tests/python [-- pytest args]
//
// The engine comes from the bundle's wheel (loadPackage, as in the browser), never from the
// source tree, so this layer tests what readers actually run. pytest and its pure-Python
// dependencies are unpacked from local wheels: nothing is fetched from the network.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const bundle = path.resolve(option("--bundle", "dist/backpropagation"));
const wheels = path.resolve(option("--wheels", ".cache/pyodide-test-wheels"));
const tests = path.resolve(option("--tests", "tests/python"));
const dash = process.argv.indexOf("--");
const extra = dash >= 0 ? process.argv.slice(dash + 1) : [];

const { loadPyodide } = await import(pathToFileURL(path.join(bundle, "pyodide.mjs")).href);
const started = performance.now();
const pyodide = await loadPyodide({ indexURL: bundle + path.sep });
// Raw writes keep pytest's progress line intact (the batched default splits it per flush).
pyodide.setStdout({ write: (buf) => { process.stdout.write(buf); return buf.length; } });
pyodide.setStderr({ write: (buf) => { process.stderr.write(buf); return buf.length; } });
await pyodide.loadPackage(["numpy", "backprop"], { messageCallback: () => {} });
console.log(`# Pyodide ${pyodide.version} with numpy and the engine ready in ${Math.round(performance.now() - started)} ms`);

const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
for (const file of readdirSync(wheels).filter((f) => f.endsWith(".whl"))) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(path.join(wheels, file))), "wheel", { extractDir: sitePackages });
}

pyodide.FS.mkdirTree("/work/tests");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: tests }, "/work/tests");
pyodide.globals.set("pytest_args", pyodide.toPy(["-q", "-p", "no:cacheprovider", "-o", "console_output_style=classic", "/work/tests", ...extra]));
const code = await pyodide.runPythonAsync(`
import os, sys
sys.dont_write_bytecode = True   # the tests folder is the real source tree
os.chdir("/work/tests")
import backprop, pytest
assert "/work" not in backprop.__file__, "the engine must come from the bundle's wheel"
print(f"# engine imported from {backprop.__file__}")
int(pytest.main(list(pytest_args)))
`);
process.exit(code);
