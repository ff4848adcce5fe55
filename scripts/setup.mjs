// First-run setup for `npm start` and `npm test` (their pre-scripts) and the deno tasks:
// installs the dependencies when node_modules does not match package-lock.json, and with --build
// rebuilds dist/ when a source file is newer than the bundle. Uses only built-in modules, since
// it runs before anything is installed.
//
// "Matches" compares versions, not file times: npm ci deletes node_modules first, so it must not
// run merely because package.json was edited (its scripts, say) while servers and tests use it.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const mtime = (p) => (existsSync(join(root, p)) ? statSync(join(root, p)).mtimeMs : 0);
const readJson = (p) => {
  try {
    return JSON.parse(readFileSync(join(root, p), 'utf8'));
  } catch {
    return null;
  }
};

/** Why the dependencies must be installed, or null when node_modules matches the lock file. */
function installReason() {
  const pkg = readJson('package.json');
  const lock = readJson('package-lock.json');
  const installed = readJson('node_modules/.package-lock.json');
  if (installed === null) return 'node_modules is missing';
  if (lock === null) return 'there is no package-lock.json';
  const wanted = { ...pkg.dependencies, ...pkg.devDependencies };
  const locked = { ...lock.packages[''].dependencies, ...lock.packages[''].devDependencies };
  for (const [name, range] of Object.entries(wanted)) {
    if (locked[name] !== range) return `package.json asks for ${name}@${range}, the lock file has ${locked[name] ?? 'nothing'}`;
  }
  for (const [path, meta] of Object.entries(lock.packages)) {
    if (path === '') continue;
    const have = installed.packages[path];
    // Optional packages for other platforms (esbuild's, bun's, deno's binaries) are not installed.
    if (have === undefined ? !meta.optional : have.version !== meta.version) return `${path} is not ${meta.version}`;
    if (have !== undefined && !existsSync(join(root, path, 'package.json'))) return `${path} is missing`;
  }
  return null;
}

const reason = installReason();
if (reason !== null) {
  const hasLock = existsSync(join(root, 'package-lock.json'));
  const npm = spawnSync('npm', ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' }).status === 0;
  // Without npm (a machine with only Deno), deno installs from package.json into node_modules.
  const cmd = npm ? (hasLock ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund') : 'deno install';
  console.log(`echokv: installing dependencies (${reason}): ${cmd}`);
  execSync(cmd, { cwd: root, stdio: 'inherit' });
}

if (process.argv.includes('--build')) {
  const newest = (dir) => {
    let t = 0;
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) t = Math.max(t, newest(p));
      else if (e.name.endsWith('.ts')) t = Math.max(t, mtime(p));
    }
    return t;
  };
  const sources = Math.max(newest('core'), newest('plugins'), mtime('mod.ts'), mtime('scripts/build.mjs'),
    mtime('package-lock.json'), mtime('package.json'));
  const built = Math.min(mtime('dist/echokv.mjs'), mtime('dist/echokv'));
  if (built === 0 || built < sources) {
    const run = process.versions.deno ? 'run -A ' : '';
    execSync(`"${process.execPath}" ${run}scripts/build.mjs`, { cwd: root, stdio: 'inherit' });
  }
}
