// First-run setup for `npm start` and `npm test`: installs the dependencies when node_modules is
// missing or older than package.json / package-lock.json, and with --build rebuilds dist/ when a
// source file is newer than the bundle. Uses only Node's own modules, since it runs before
// anything is installed.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const mtime = (p) => (existsSync(join(root, p)) ? statSync(join(root, p)).mtimeMs : 0);

const installed = mtime('node_modules/.package-lock.json');
if (installed === 0 || installed < mtime('package.json') || installed < mtime('package-lock.json')) {
  const cmd = existsSync(join(root, 'package-lock.json')) ? 'npm ci' : 'npm install';
  console.log(`echokv: installing dependencies (${cmd})`);
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
  const sources = Math.max(newest('core'), newest('plugins'), mtime('mod.ts'), mtime('scripts/build.mjs'), mtime('package-lock.json'));
  const built = Math.min(mtime('dist/echokv.mjs'), mtime('dist/echokv'));
  if (built === 0 || built < sources) {
    execSync('node scripts/build.mjs', { cwd: root, stdio: 'inherit' });
  }
}
