// Run the calculator package's unit tests inside real Pyodide under Node.js.
//
// node tests/pyodide/run.mjs --runtime DIR --wheels DIR --package WHEEL --tests DIR [-- pytest args]
//
// Installs the built wheel (the artefact the browser loads) and the test tools'
// pure-Python wheels into Pyodide's site-packages, mounts the tests folder and runs
// pytest there. Nothing is fetched from the network. Exits with pytest's status.
import { readFileSync, readdirSync } from "node:fs";
import { resolve, join } from "node:path";
import { pathToFileURL } from "node:url";

function options(argv) {
  const opts = { pytest: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") {
      opts.pytest = argv.slice(i + 1);
      break;
    }
    opts[argv[i].replace(/^--/, "")] = resolve(argv[++i]);
  }
  for (const key of ["runtime", "wheels", "package", "tests"]) {
    if (!opts[key]) throw new Error(`missing --${key}`);
  }
  return opts;
}

const opts = options(process.argv.slice(2));
const { loadPyodide } = await import(pathToFileURL(join(opts.runtime, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: opts.runtime + "/" });
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
const wheels = readdirSync(opts.wheels).filter((name) => name.endsWith(".whl")).map((name) => join(opts.wheels, name));
for (const wheel of [...wheels, opts.package]) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", { extractDir: sitePackages });
}
pyodide.FS.mkdirTree("/work/tests");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: opts.tests }, "/work/tests");
pyodide.globals.set("pytest_args", pyodide.toPy(["-p", "no:cacheprovider", "/work/tests", ...opts.pytest]));
const status = pyodide.runPython(`
import os, sys
os.chdir("/tmp")
import calculator, pytest
print(f"Pyodide {sys.version.split()[0]} on {sys.platform}; calculator from {calculator.__file__}", flush=True)
int(pytest.main(list(pytest_args)))
`);
process.exit(status);
