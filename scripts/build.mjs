// Builds what ships:
//   dist/echokv.mjs  one ESM file with every dependency bundled (node, deno run -A, bun)
//   dist/echokv      one executable that needs no runtime installed: Node's single executable
//                    application (the CommonJS bundle injected into a copy of node with postject;
//                    nothing is downloaded)
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'import.meta.main': 'false' },
};

const entry = (cjs) => ({
  contents: `import { main } from './mod.ts';\n${cjs ? 'main();' : 'await main();'}\n`,
  resolveDir: root,
  sourcefile: 'echokv-entry.ts',
  loader: 'ts',
});

const t0 = Date.now();
await build({
  ...common,
  stdin: entry(false),
  format: 'esm',
  outfile: join(dist, 'echokv.mjs'),
  banner: {
    js: `#!/usr/bin/env node\n// echokv ${pkg.version}: a Redis-compatible server. Bundled by esbuild.\n` +
      "import { createRequire as __echokvCreateRequire } from 'node:module';\nconst require = __echokvCreateRequire(import.meta.url);",
  },
});
chmodSync(join(dist, 'echokv.mjs'), 0o755);

// The executable: Node 20's single executable applications run one CommonJS script.
const seaScript = join(dist, 'echokv-sea.cjs');
await build({ ...common, stdin: entry(true), format: 'cjs', outfile: seaScript });
const seaConfig = join(dist, 'sea-config.json');
const blob = join(dist, 'echokv.blob');
writeFileSync(seaConfig, JSON.stringify({
  main: seaScript,
  output: blob,
  disableExperimentalSEAWarning: true,
  useCodeCache: false,
}));
execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'pipe' });
const exe = join(dist, 'echokv');
rmSync(exe, { force: true });
copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
execFileSync(process.execPath, [
  join(root, 'node_modules', 'postject', 'dist', 'cli.js'), exe, 'NODE_SEA_BLOB', blob,
  '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
], { stdio: 'pipe' });
rmSync(blob, { force: true });
rmSync(seaConfig, { force: true });
rmSync(seaScript, { force: true });
console.log(`echokv: built dist/echokv.mjs and dist/echokv in ${Date.now() - t0} ms`);
