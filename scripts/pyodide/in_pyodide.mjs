// Run a Python program inside the project's pinned Pyodide (CPython 3.14 on WebAssembly)
// under Node.js: the build compiles the browser's Python with it, and the tests run the
// calculator's suite with it. Nothing is fetched from the network.
//
// node scripts/pyodide/in_pyodide.mjs --runtime DIR [--stdlib ZIP] [--env NAME=VALUE]...
//      [--wheel WHEEL]... [--mount HOST_DIR:GUEST_DIR]... PROGRAM.py [ARGS...]
//
// --stdlib replaces the runtime's standard library (as the site's `stdLibURL` does);
// wheels are installed by Pyodide's package loader, the code path the browser's
// `packages` option takes; host folders are mounted read-write. The
// program runs as __main__ with sys.argv = [PROGRAM.py, ARGS...]; the exit status is
// its SystemExit code, or 1 when it raises.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

function parse(argv) {
  const opts = { env: {}, wheels: [], mounts: [], program: null, args: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!flag.startsWith("--")) {
      opts.program = resolve(flag);
      opts.args = argv.slice(i + 1);
      break;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--runtime") opts.runtime = resolve(value);
    else if (flag === "--stdlib") opts.stdlib = resolve(value);
    else if (flag === "--wheel") opts.wheels.push(resolve(value));
    else if (flag === "--env") {
      const at = value.indexOf("=");
      opts.env[value.slice(0, at)] = value.slice(at + 1);
    } else if (flag === "--mount") {
      const at = value.lastIndexOf(":");
      opts.mounts.push([resolve(value.slice(0, at)), value.slice(at + 1)]);
    } else throw new Error(`unknown option ${flag}`);
  }
  if (!opts.runtime || !opts.program) throw new Error("usage: in_pyodide.mjs --runtime DIR [options] PROGRAM.py [ARGS...]");
  return opts;
}

const opts = parse(process.argv.slice(2));
const { loadPyodide } = await import(pathToFileURL(join(opts.runtime, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: opts.runtime + "/",
  ...(opts.stdlib ? { stdLibURL: opts.stdlib } : {}),
  env: opts.env,
});
if (opts.wheels.length) {
  const failures = [];
  await pyodide.loadPackage(
    opts.wheels.map((wheel) => pathToFileURL(wheel).href),
    { messageCallback: () => {}, errorCallback: (message) => failures.push(message) },
  );
  if (failures.length) throw new Error(failures.join("\n"));
}
for (const [host, guest] of opts.mounts) {
  pyodide.FS.mkdirTree(guest);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: host }, guest);
}
pyodide.globals.set("program_path", opts.program);
pyodide.globals.set("program_source", readFileSync(opts.program, "utf8"));
pyodide.globals.set("program_args", pyodide.toPy(opts.args));
const status = pyodide.runPython(`
import sys, traceback

def run_program():
    sys.argv = [program_path, *program_args]
    namespace = {"__name__": "__main__", "__file__": program_path}
    try:
        exec(compile(program_source, program_path, "exec"), namespace)
    except SystemExit as end:
        if end.code is None or isinstance(end.code, int):
            return end.code or 0
        print(end.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1
    return 0

run_program()
`);
process.exit(status);
