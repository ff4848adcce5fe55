// Builds what ships:
//   dist/echokv.mjs  one ESM file with every dependency bundled (node, deno run -A, bun)
//   dist/echokv      one executable that needs no runtime installed: Node's single executable
//                    application (the CommonJS bundle injected into a copy of node with postject;
//                    nothing is downloaded)
// Each output is written beside its final name and renamed into place, so a server or a test
// running the previous build is never handed a half-written file (and Linux refuses to
// overwrite a running executable in place).
// Runs under node; under deno or bun the executable is made from the `node` on the PATH, and is
// skipped with a message when there is none.
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Unique per build, so two builds at once (two test runs) do not write the same temp files.
const tmp = (name) => join(dist, `.${name}.${process.pid}.tmp`);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  // Minified for the memory it saves, not the bytes: node reads the entry file into one malloc'd
  // buffer, and freeing a buffer that large makes glibc raise its mmap threshold to that size and
  // its trim threshold to twice it for the rest of the process, so each arena the optimizing
  // compiler's threads use keeps up to twice the bundle's size after they finish. At 1.1 MB that
  // was about 5 MB of resident memory; at 0.6 MB it is about 3 MB less (paired runs, the list
  // memory row: 27-28 bytes per element before, 22-24 after). keepNames keeps the names that log
  // lines and stack traces show.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  // mod.ts starts the server when it is the entry point of deno or bun; in a bundle the entry
  // below does it instead.
  define: { 'import.meta.main': 'false' },
};

const entry = (cjs) => ({
  contents: `import './plugins/host/boot.ts';\nimport { main } from './mod.ts';\n${cjs ? 'main();' : 'await main();'}\n`,
  resolveDir: root,
  sourcefile: 'echokv-entry.ts',
  loader: 'ts',
});

const t0 = Date.now();
const mjs = tmp('echokv.mjs');
await build({
  ...common,
  stdin: entry(false),
  format: 'esm',
  outfile: mjs,
  banner: {
    js: `#!/usr/bin/env node\n// echokv ${pkg.version}: a Redis-compatible server. Bundled by esbuild.\n` +
      // Bundled CommonJS dependencies call require() for Node's built-in modules.
      "import { createRequire as __echokvCreateRequire } from 'node:module';\nconst require = __echokvCreateRequire(import.meta.url);",
  },
});
chmodSync(mjs, 0o755);
renameSync(mjs, join(dist, 'echokv.mjs'));

/** The node binary to make the executable from: this one, or the one on the PATH. */
function nodeBinary() {
  if (!process.versions.bun && !process.versions.deno) return process.execPath;
  const r = spawnSync('node', ['-p', 'process.execPath'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const node = nodeBinary();
if (node === null) {
  console.log(`echokv: built dist/echokv.mjs in ${Date.now() - t0} ms (no node on the PATH: dist/echokv not built)`);
  process.exit(0);
}

// The executable: Node's single executable applications run one CommonJS script.
const seaScript = tmp('echokv-sea.cjs');
const seaConfig = tmp('sea-config.json');
const blob = tmp('echokv.blob');
const exe = tmp('echokv');
try {
  await build({ ...common, stdin: entry(true), format: 'cjs', outfile: seaScript });
  writeFileSync(seaConfig, JSON.stringify({
    main: seaScript,
    output: blob,
    disableExperimentalSEAWarning: true,
    useCodeCache: false,
  }));
  execFileSync(node, ['--experimental-sea-config', seaConfig], { stdio: 'pipe' });
  copyFileSync(node, exe);
  chmodSync(exe, 0o755);
  const mac = process.platform === 'darwin';
  // macOS refuses a binary whose signature no longer matches: drop it, inject, sign ad hoc.
  if (mac) execFileSync('codesign', ['--remove-signature', exe], { stdio: 'pipe' });
  execFileSync(node, [
    join(root, 'node_modules', 'postject', 'dist', 'cli.js'), exe, 'NODE_SEA_BLOB', blob,
    '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ...(mac ? ['--macho-segment-name', 'NODE_SEA'] : []),
  ], { stdio: 'pipe' });
  if (mac) execFileSync('codesign', ['--sign', '-', exe], { stdio: 'pipe' });
  renameSync(exe, join(dist, 'echokv'));
} catch (e) {
  const out = [e.stderr, e.stdout].filter(Boolean).join('\n');
  console.error(`echokv: building dist/echokv failed with ${node}: ${e.message}\n${out}`);
  process.exitCode = 1;
} finally {
  for (const f of [seaScript, seaConfig, blob, exe]) rmSync(f, { force: true });
}
if (process.exitCode !== 1) console.log(`echokv: built dist/echokv.mjs and dist/echokv in ${Date.now() - t0} ms`);
