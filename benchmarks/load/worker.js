// Load-time benchmark worker: Pyodide + numpy + the engine, by one of two routes.
//   lock:     the engine is a package of the bundle's pyodide-lock.json (loadPackage)
//   micropip: numpy by loadPackage, then micropip.install(<engine wheel URL>, deps=False)
/* global importScripts, loadPyodide */
self.onmessage = async (event) => {
  const { bundle, mode } = event.data;
  const t0 = performance.now();
  importScripts(bundle + "pyodide.js");
  const pyodide = await loadPyodide({ indexURL: bundle });
  const tCore = performance.now();
  if (mode === "micropip") {
    const lock = await (await fetch(bundle + "pyodide-lock.json")).json();
    await pyodide.loadPackage(["numpy", "micropip"]);
    const micropip = pyodide.pyimport("micropip");
    await micropip.install(bundle + lock.packages.backprop.file_name, { deps: false });
    micropip.destroy();
  } else {
    await pyodide.loadPackage(["numpy", "backprop"]);
  }
  const tPackages = performance.now();
  pyodide.runPython(await (await fetch("import_engine.py")).text());
  const tEnd = performance.now();
  self.postMessage({ core: tCore - t0, packages: tPackages - tCore, imports: tEnd - tPackages, total: tEnd - t0 });
};
