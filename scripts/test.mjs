// The test runner behind `npm test`: runs every test/**/*.test.ts file in its own process (uvu
// files are standalone programs), two at a time (those marked to run alone, last and by themselves),
// each bounded in time, and ends with the line
// "N passed, N failed" (test cases; a file that crashes or times out counts as one failure).
//   npm test                     all files under node
//   npm test -- resp config      only files whose path contains one of the words
//   npm test -- --runtime=bun    run the files under bun (or deno) instead of node
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const runtime = (args.find((a) => a.startsWith('--runtime=')) ?? '--runtime=node').slice(10);
const filters = args.filter((a) => !a.startsWith('--'));
const FILE_TIMEOUT_MS = Number(process.env.ECHOKV_TEST_TIMEOUT_MS ?? 300_000);
const PARALLEL = Number(process.env.ECHOKV_TEST_JOBS ?? 2);

function find(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...find(p));
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

// Files that start the built server (they name dist/echokv or join(ROOT, 'dist', ...)) need a
// fresh build; `npm test`
// built already (pretest), and this catches `node scripts/test.mjs cli` after an edit.
const usesDist = (src) => src.includes('dist/echokv') || src.includes("'dist'");
if (files.some((f) => usesDist(readFileSync(join(root, f), 'utf8')))) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'setup.mjs'), '--build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.log('The build failed; tests of the built server cannot run');
    process.exit(1);
  }
}

function command(file) {
  const bin = join(root, 'node_modules', '.bin');
  if (runtime === 'deno') return [join(bin, 'deno'), ['run', '-A', '--quiet', file]];
  if (runtime === 'bun') return [join(bin, 'bun'), [file]];
  return [process.execPath, ['--import', './scripts/ts_register.mjs', file]];
}

function runFile(file) {
  return new Promise((resolve) => {
    const [cmd, argv] = command(file);
    const started = Date.now();
    const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      out += `\n[runner] ${file} exceeded ${FILE_TIMEOUT_MS} ms and was killed\n`;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const num = (label) => {
        const m = out.match(new RegExp(`${label}:\\s+(\\d+)`));
        return m ? Number(m[1]) : 0;
      };
      const total = num('Total');
      const passed = num('Passed');
      let failed = total - passed - num('Skipped');
      if (code !== 0 && failed === 0) failed = 1;
      resolve({ file, code, out, passed, failed, ms: Date.now() - started });
    });
  });
}

// A file that says `test-runner: alone` (a 512 MB value, say) runs after the others, by itself:
// beside it, tests that wait on timers or time-sliced work would see a starved machine.
const alone = files.filter((f) => readFileSync(join(root, f), 'utf8').includes('test-runner: alone'));
const queue = files.filter((f) => !alone.includes(f));
const results = [];
async function worker() {
  while (queue.length > 0) {
    const file = queue.shift();
    const r = await runFile(file);
    results.push(r);
    const status = r.failed > 0 ? 'FAIL' : 'ok  ';
    console.log(`${status} ${file}  (${r.passed} passed, ${r.failed} failed, ${(r.ms / 1000).toFixed(1)} s)`);
    if (r.failed > 0) console.log(r.out.split('\n').map((l) => '    ' + l).join('\n'));
  }
}
await Promise.all(Array.from({ length: Math.max(1, PARALLEL) }, worker));
queue.push(...alone);
await worker();

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
