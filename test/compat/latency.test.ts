// LATENCY against redis-server: HELP, the errors, the replies with monitoring off, and with
// latency-monitor-threshold set the events a slow command leaves (LATEST, HISTORY, GRAPH,
// DOCTOR, RESET). A sample's milliseconds and age differ by a hair between two servers, so
// those replies are compared with the measured numbers masked. LATENCY HISTOGRAM's bucket
// labels come from hdr_histogram's arithmetic: both servers' must be among the labels a
// logarithmic iteration from 1024 ns can print, with the same command names and call counts.
import * as assert from 'uvu/assert';
import { compatSuite } from './_compat.ts';
import { plain } from '../_resp.ts';
import { LatencyHistogram } from '../../core/info.ts';

const off = compatSuite('latency monitor off');

off('HELP, errors, and the replies while nothing is recorded', async ({ c }) => {
  await c.all([
    ['LATENCY', 'HELP'], ['LATENCY'], ['LATENCY', 'NOSUCH'], ['LATENCY', 'HISTORY'], ['LATENCY', 'LATEST', 'x'],
    ['LATENCY', 'GRAPH'], ['LATENCY', 'GRAPH', 'command'], ['LATENCY', 'HISTORY', 'command'], ['LATENCY', 'LATEST'],
    ['LATENCY', 'RESET'], ['LATENCY', 'RESET', 'command', 'x'], ['LATENCY', 'DOCTOR'], ['LATENCY', 'DOCTOR', 'x'],
    ['LATENCY', 'HELP', 'x'], ['LATENCY', 'HISTOGRAM', 'nosuch'], ['DEBUG', 'SLEEP', '0.02'], ['LATENCY', 'LATEST'],
    ['CONFIG', 'GET', 'latency-monitor-threshold'],
  ]);
  // Enabled but nothing slow yet: the other opening of the report.
  await c.all([['CONFIG', 'SET', 'latency-monitor-threshold', '1000'], ['LATENCY', 'DOCTOR'], ['CONFIG', 'SET', 'latency-monitor-threshold', '0']]);
});

/** Every label a log iteration (first bucket 1024 ns, base 2) over Redis's 1 ns .. 1 s histogram prints. */
function histogramLabels(): Set<number> {
  const labels = new Set<number>();
  for (let k = 10; k < 30; k++) labels.add(Math.floor((2 ** k + 2 ** (k - 7) - 1) / 1000));
  labels.add(Math.floor((2 ** 30 - 1) / 1000));
  return labels;
}

off('HISTOGRAM: the same commands and calls, buckets among the labels hdr_histogram prints', async ({ c }) => {
  await c.all([['CONFIG', 'RESETSTAT'], ['SET', 'a', '1'], ['GET', 'a'], ['GET', 'b'], ['CONFIG', 'GET', 'maxmemory'], ['DEBUG', 'SLEEP', '0.003']]);
  const labels = histogramLabels();
  const read = async (cl: typeof c.redis): Promise<Map<string, [number, [number, number][]]>> => {
    const rep = plain(await cl.callRaw('LATENCY', 'HISTOGRAM').then((r) => r.reply)) as unknown[];
    const out = new Map<string, [number, [number, number][]]>();
    for (let i = 0; i < rep.length; i += 2) {
      const [, calls, , hist] = rep[i + 1] as [string, number, string, number[]];
      const pairs: [number, number][] = [];
      for (let j = 0; j < hist.length; j += 2) pairs.push([Number(hist[j]), Number(hist[j + 1])]);
      out.set(rep[i] as string, [Number(calls), pairs]);
    }
    return out;
  };
  const [r, e] = [await read(c.redis), await read(c.echo)];
  assert.equal([...e.keys()].sort(), [...r.keys()].sort(), 'commands with a histogram');
  for (const [name, [calls, pairs]] of [...r, ...e]) {
    for (const [label] of pairs) assert.ok(labels.has(label), `${name}: bucket ${label} us is one hdr_histogram prints`);
    for (let j = 1; j < pairs.length; j++) {
      assert.ok(pairs[j][0] > pairs[j - 1][0] && pairs[j][1] > pairs[j - 1][1], `${name}: buckets and counts grow`);
    }
    assert.is(pairs[pairs.length - 1][1], calls, `${name}: the last bucket counts every call`);
  }
  for (const [name, [calls]] of r) assert.is(e.get(name)![0], calls, `calls of ${name}`);
  // The named form: a container names its subcommands (in Redis's hash order, so sorted here);
  // unknown names are skipped.
  const names = async (cl: typeof c.redis): Promise<string[]> => {
    const rep = plain((await cl.callRaw('LATENCY', 'HISTOGRAM', 'config', 'nosuch', 'get', 'SET')).reply) as unknown[];
    return (rep.filter((_, i) => i % 2 === 0) as string[]).sort();
  };
  assert.equal(await names(c.echo), await names(c.redis));
});

off('HISTOGRAM buckets of known durations', () => {
  const at = (...ns: number[]): number[] => {
    const h = new LatencyHistogram();
    for (const v of ns) h.record(v);
    return h.cumulativeByPowerOfTwo();
  };
  assert.equal(at(5000), [8, 1]);
  assert.equal(at(10, 1024, 1031, 1032), [1, 3, 2, 4]);
  assert.equal(at(3_000_000, 3_000_000, 40_000), [66, 1, 4227, 3]);
  // Past 2^29 ns the iterator runs off the 1 s histogram and stops on its last sub-bucket.
  assert.equal(at(2e9, 6e8, 5e8), [541065, 1, 1073741, 3]);
});

off.run();

const on = compatSuite('latency monitor on', { 'latency-monitor-threshold': '5' });

/** A reply with the numbers a run measures (ms, Unix times, "Ns" ages) masked. */
function masked(text: string): string {
  return text.replace(/\d+ms\b/g, 'Nms').replace(/high \d+ ms, low \d+ ms \(all time high \d+ ms\)/, 'high N ms, low N ms (all time high N ms)')
    .replace(/period \d+\.\d\d sec/, 'period N sec');
}

on('a slow command: LATEST, HISTORY, GRAPH, DOCTOR and RESET', async ({ c }) => {
  await c.all([['LATENCY', 'RESET'], ['DEBUG', 'SLEEP', '0.02'], ['GET', 'k']]);
  const [lr, le] = [plain((await c.redis.callRaw('LATENCY', 'LATEST')).reply), plain((await c.echo.callRaw('LATENCY', 'LATEST')).reply)] as [unknown[][], unknown[][]];
  assert.is(le.length, 1);
  assert.is(lr.length, 1);
  for (const row of [...lr, ...le]) {
    assert.is(row[0], 'command');
    assert.ok(Number(row[2]) >= 20 && row[2] === row[3], `latest and worst ${row[2]} ${row[3]}`);
    assert.ok(Math.abs(Number(row[1]) - Date.now() / 1000) < 5, 'sample time in Unix seconds');
  }
  const hist = plain((await c.echo.callRaw('LATENCY', 'HISTORY', 'command')).reply) as unknown[][];
  assert.is(hist.length, 1);
  assert.equal(hist[0], [le[0][1], le[0][2]]);
  await c.all([['LATENCY', 'HISTORY', 'COMMAND'], ['LATENCY', 'GRAPH', 'fast-command']]);
  // One sample: a column at the bottom, then its age written downwards.
  const graph = async (cl: typeof c.redis): Promise<string> => {
    const g = String(plain((await cl.callRaw('LATENCY', 'GRAPH', 'command')).reply));
    return masked(g).replace(/\n(\d)\ns\n$/, '\nN\ns\n');
  };
  assert.is(await graph(c.echo), await graph(c.redis));
  const doctor = async (cl: typeof c.redis): Promise<string> => masked(String(plain((await cl.callRaw('LATENCY', 'DOCTOR')).reply)));
  assert.is(await doctor(c.echo), await doctor(c.redis));
  // With the slow log off the report says to turn it on, with the threshold in microseconds.
  await c.all([['CONFIG', 'SET', 'slowlog-log-slower-than', '-1']]);
  assert.is(await doctor(c.echo), await doctor(c.redis));
  await c.all([['CONFIG', 'SET', 'slowlog-log-slower-than', '10000000']]);
  assert.is(await doctor(c.echo), await doctor(c.redis));
  await c.all([['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'], ['LATENCY', 'RESET', 'nosuch'], ['LATENCY', 'RESET', 'Command'], ['LATENCY', 'LATEST'], ['LATENCY', 'GRAPH', 'command']]);
});

on('samples of one second merge into the worst; a new second adds one', async ({ c }) => {
  await c.all([['LATENCY', 'RESET']]);
  // Sleep into the start of a second so that the two commands below share it.
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
  await c.all([['DEBUG', 'SLEEP', '0.01'], ['DEBUG', 'SLEEP', '0.2'], ['DEBUG', 'SLEEP', '0.01']]);
  for (const cl of [c.redis, c.echo]) {
    const h = plain((await cl.callRaw('LATENCY', 'HISTORY', 'command')).reply) as unknown[][];
    assert.is(h.length, 1, 'one sample per second');
    assert.ok(Number(h[0][1]) >= 200, 'the worst of the second');
  }
  await new Promise((r) => setTimeout(r, 1000));
  await c.all([['DEBUG', 'SLEEP', '0.01']]);
  for (const cl of [c.redis, c.echo]) {
    const h = plain((await cl.callRaw('LATENCY', 'HISTORY', 'command')).reply) as unknown[][];
    assert.is(h.length, 2, 'a second sample');
    assert.ok(Number(h[1][0]) > Number(h[0][0]), 'oldest first');
    const latest = plain((await cl.callRaw('LATENCY', 'LATEST')).reply) as unknown[][];
    const worst = Math.max(Number(h[0][1]), Number(h[1][1]));
    assert.equal(latest[0].slice(1).map(Number), [Number(h[1][0]), Number(h[1][1]), worst], 'LATEST: the last sample and the worst of all');
  }
  // Two samples, the older the higher: a full column beside a low one, ages below.
  const graph = async (cl: typeof c.redis): Promise<string> => {
    const g = String(plain((await cl.callRaw('LATENCY', 'GRAPH', 'command')).reply));
    return masked(g).replace(/\n\d\d\nss\n$/, '\nNN\nss\n');
  };
  const g = await graph(c.redis);
  assert.match(g, / ?#/);
  assert.is(await graph(c.echo), g);
});

on.run();
