// Helpers for differential tests of blocking commands: the same command sent to both servers on
// a pair of connections, their replies compared, and INFO blocked_clients polled on both.
import type * as uvu from 'uvu';
import * as assert from 'uvu/assert';
import { type Compat, type CompatContext, show } from './_compat.ts';
import { sleep } from '../_helpers.ts';
import { encodeCommand } from '../_resp.ts';

/** Sends a command on both sides of `p` without waiting for the replies. */
export function send(p: Compat, ...args: string[]): void {
  const b = encodeCommand(args);
  p.redis.write(b);
  p.echo.write(b);
}

/** The next reply on both sides of `p`, asserted the same; returns its bytes. */
export async function reply(p: Compat, what: string): Promise<string> {
  const [r, e] = await Promise.all([p.redis.readRaw(5000), p.echo.readRaw(5000)]);
  assert.is(show(e.bytes), show(r.bytes), what);
  return r.bytes;
}

/** Asserts neither side of `p` has answered anything (it is still blocked). */
export async function silent(p: Compat, what: string, ms = 50): Promise<void> {
  await sleep(ms);
  assert.is(p.echo.pendingBytes, 0, `echokv answered ${what}`);
  assert.is(p.redis.pendingBytes, 0, `redis-server answered ${what}`);
}

/** INFO blocked_clients of each server: [redis, echokv]. */
export async function blocked(p: Compat): Promise<[number, number]> {
  const [r, e] = await p.both('INFO', 'clients');
  const get = (x: { reply: unknown }): number =>
    Number(/blocked_clients:(\d+)/.exec(String((x.reply as { value: string }).value))![1]);
  return [get(r), get(e)];
}

/** Waits (at most 3 s) until both servers count `n` blocked clients, so the order of what the
 * test sends next on other connections is certain. */
export async function waitBlocked(p: Compat, n: number): Promise<void> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const [r, e] = await blocked(p);
    if (r === n && e === n) return;
    if (Date.now() > deadline) assert.unreachable(`blocked_clients: redis ${r}, echokv ${e}, expected ${n}`);
    await sleep(5);
  }
}

/** Connections whose CLIENT ID each server gave: [redis id, echokv id]. */
export async function ids(p: Compat): Promise<[string, string]> {
  const [r, e] = await p.both('CLIENT', 'ID');
  return [String((r.reply as { value: bigint }).value), String((e.reply as { value: bigint }).value)];
}

/**
 * The `test` of a suite whose tests open extra connections: when a test ends, `after` runs (say,
 * CLIENT UNPAUSE), its connections are closed and both servers are waited on to have no client
 * blocked, so a failure leaves no waiter behind for the next test.
 */
export function blockingTest(
  suite: uvu.Test<CompatContext>,
  after?: (ctx: CompatContext) => Promise<void>,
): (name: string, fn: (ctx: CompatContext) => Promise<void>) => void {
  return (name, fn) => {
    suite(name, async (ctx) => {
      const mine: Compat[] = [];
      const connect = async (): Promise<Compat> => {
        const w = await ctx.connect();
        mine.push(w);
        return w;
      };
      try {
        await fn({ ...ctx, connect });
      } finally {
        await after?.(ctx);
        for (const w of mine) {
          w.redis.close();
          w.echo.close();
        }
        await waitBlocked(ctx.c, 0);
      }
    });
  };
}
