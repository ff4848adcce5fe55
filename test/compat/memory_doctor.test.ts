// MEMORY DOCTOR against redis-server: the same report for an empty instance, for one holding data
// without issues, and after a memory peak. Redis's paragraphs about the allocator and the RSS
// (fragmentation, allocator and process RSS overhead) are taken out of its report before the
// comparison: echokv does not make those checks (core/commands/server.ts says why).
import * as assert from 'uvu/assert';
import { type Compat, compatSuite } from './_compat.ts';

const test = compatSuite('MEMORY DOCTOR');

const VALUE = 'x'.repeat(100);

/** Sets key:from .. key:to-1 to 100-byte values on both servers, 1000 keys a command. */
async function fill(c: Compat, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 1000) {
    const args: string[] = ['MSET'];
    for (let j = i; j < Math.min(to, i + 1000); j++) args.push(`key:${j}`, VALUE);
    await Promise.all([c.redis.call(...args), c.echo.call(...args)]);
  }
}

async function drop(c: Compat, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 1000) {
    const args: string[] = ['DEL'];
    for (let j = i; j < Math.min(to, i + 1000); j++) args.push(`key:${j}`);
    await Promise.all([c.redis.call(...args), c.echo.call(...args)]);
  }
}

const ALLOCATOR_PARAGRAPH = /^ \* High (total RSS|allocator fragmentation|allocator RSS overhead|process RSS overhead):/;

const NO_ISSUE = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";

/**
 * Redis's report without the paragraphs about the allocator and the RSS; with none left, what
 * Redis says when it finds no issue.
 */
function withoutAllocatorChecks(report: string): string {
  const paragraphs = report.split('\n\n');
  const kept = paragraphs.filter((p) => !ALLOCATOR_PARAGRAPH.test(p));
  if (kept.length === paragraphs.length) return report;
  return kept.some((p) => p.startsWith(' * ')) ? kept.join('\n\n') : NO_ISSUE;
}

/** MEMORY DOCTOR on both; echokv's report must be Redis's without the allocator checks. */
async function sameReport(c: Compat): Promise<string> {
  const [r, e] = await c.both('MEMORY', 'DOCTOR');
  const theirs = withoutAllocatorChecks(r.reply.value as string);
  assert.is(e.reply.value as string, theirs);
  return theirs;
}

test('an empty instance: the same text, a bulk in RESP2 and verbatim text in RESP3', async ({ c }) => {
  const text = (await c.same('MEMORY', 'DOCTOR')) as string;
  assert.ok(text.startsWith('Hi Sam, this instance is empty'), text);
  await c.redis.call('HELLO', '3');
  await c.echo.call('HELLO', '3');
  await c.same('MEMORY', 'DOCTOR');
  await c.redis.call('HELLO', '2');
  await c.echo.call('HELLO', '2');
  await c.sameErrorCode('MEMORY', 'DOCTOR', 'extra');
  await c.same('MEMORY', 'HELP');
});

test('holding data, then after most of it is deleted (a peak)', async ({ c }) => {
  await fill(c, 0, 100_000);
  assert.is(await sameReport(c), NO_ISSUE);
  await fill(c, 100_000, 150_000);
  assert.is(await sameReport(c), NO_ISSUE);
  await drop(c, 0, 120_000);
  const report = await sameReport(c);
  assert.ok(report.startsWith('Sam, I detected a few issues in this Redis instance memory implants:\n\n * Peak memory: '), report);
  assert.ok(report.endsWith("\n\nI'm here to keep you safe, Sam. I want to help you.\n"), report);
});

test.run();
