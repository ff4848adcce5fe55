// What ships, on every runtime (DESIGN.md rule 12): the single executable dist/echokv, the bundle
// dist/echokv.mjs under node, deno and bun, and the TypeScript sources under deno and bun, each
// started as a process and checked over a real socket, then stopped with SIGTERM.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { BUN, BUNDLE, DENO, NODE, RespClient, ROOT, startProcess } from './_helpers.ts';


const targets: [name: string, cmd: string, args: string[]][] = [
  ['dist/echokv (single executable)', join(ROOT, 'dist', 'echokv'), []],
  ['node dist/echokv.mjs', NODE, [BUNDLE]],
  ['deno run -A dist/echokv.mjs', DENO, ['run', '-A', BUNDLE]],
  ['bun dist/echokv.mjs', BUN, [BUNDLE]],
  ['deno run -A mod.ts (sources)', DENO, ['run', '-A', join(ROOT, 'mod.ts')]],
  ['bun mod.ts (sources)', BUN, [join(ROOT, 'mod.ts')]],
];

/**
 * Stops a child with a signal and returns its exit code. Signals by pid: under Deno,
 * child.kill() makes the exit event report the signal instead of the code the process exited with.
 */
async function stopChild(child: ChildProcess, signal: 'SIGTERM' | 'SIGINT' = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(child.pid!, signal);
  const t = setTimeout(() => child.kill('SIGKILL'), 10000);
  const code = await exited;
  clearTimeout(t);
  return code;
}

const enc = (args: string[]): string => `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

for (const [name, cmd, args] of targets) {
  const test = suite(name);

  test('smoke: PING, binary SET/GET, a pipeline, a large value, INFO, SIGTERM', async () => {
    assert.ok(existsSync(cmd), `${cmd} is missing (npm ci installs deno and bun; npm run build makes dist/)`);
    // cwd is the checkout (args may be relative to it); files go to a temp dir.
    const dir = mkdtempSync(join(tmpdir(), 'echokv-runtime-'));
    const p = await startProcess(cmd, [...args, '--bind', '127.0.0.1', '--dir', dir], { cwd: ROOT, timeoutMs: 30000 });
    let c: RespClient | null = null;
    let code: number | null = null;
    try {
      assert.ok(p.output().includes(`PID: ${p.child.pid}`), p.output());
      c = await RespClient.connect(p.port);
      assert.is((await c.callRaw('PING')).bytes, '+PONG\r\n');

      // Keys and values are bytes: NUL, 0xff, CR LF and bytes that are not UTF-8.
      const key = 'k\x00\xff\r\n';
      const value = '\x00\x01\x80\xfe\xff\r\n\xc3\x28';
      assert.is((await c.callRaw('SET', key, value)).bytes, '+OK\r\n');
      assert.is((await c.callRaw('GET', key)).bytes, `$${value.length}\r\n${value}\r\n`);

      // A pipeline in one write: every reply comes back, in order.
      let batch = '';
      for (let i = 0; i < 300; i++) batch += enc(['SET', `p${i}`, `v${i}`]) + enc(['GET', `p${i}`]);
      batch += 'PING\r\n';
      c.write(batch);
      for (let i = 0; i < 300; i++) {
        assert.is((await c.readRaw()).bytes, '+OK\r\n');
        assert.is((await c.readRaw()).bytes, `$${`v${i}`.length}\r\nv${i}\r\n`);
      }
      assert.is((await c.readRaw()).bytes, '+PONG\r\n');

      // A value larger than a socket buffer, with every byte value in it.
      let big = '';
      for (let i = 0; i < 3 * 256 * 1024; i++) big += String.fromCharCode((i * 7) & 0xff);
      assert.is((await c.callRaw('SET', 'big', big)).bytes, '+OK\r\n');
      const got = await c.callRaw('GET', 'big');
      assert.ok(got.bytes === `$${big.length}\r\n${big}\r\n`, 'the large value comes back intact');

      const info = await c.call('INFO', 'server');
      assert.type(info, 'string');
      assert.ok((info as string).includes(`process_id:${p.child.pid}\r\n`), info as string);
      assert.ok((info as string).includes(`tcp_port:${p.port}\r\n`), info as string);
    } finally {
      c?.close();
      code = await stopChild(p.child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
    assert.is(code, 0, `exit code after SIGTERM\n${p.output()}`);
    assert.ok(p.output().includes('echokv is now ready to exit, bye bye...'), p.output());
  });

  test.run();
}
