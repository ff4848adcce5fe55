// A RESP2/RESP3 reply decoder for tests. It keeps every reply's exact bytes next to its decoded
// value, so tests can compare echokv with redis-server byte for byte, or by value when the order
// of elements is unspecified.

export type Reply =
  | { type: 'simple'; value: string }
  | { type: 'error'; value: string }
  | { type: 'int'; value: bigint }
  | { type: 'bulk'; value: string | null }
  | { type: 'array'; value: Reply[] | null }
  | { type: 'null' }
  | { type: 'bool'; value: boolean }
  | { type: 'double'; value: string }
  | { type: 'bignum'; value: string }
  | { type: 'verbatim'; format: string; value: string }
  | { type: 'map'; value: [Reply, Reply][] }
  | { type: 'set'; value: Reply[] }
  | { type: 'push'; value: Reply[] }
  | { type: 'attribute'; value: [Reply, Reply][] };

const latin1 = (b: Uint8Array, s: number, e: number): string => {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]);
  return out;
};

/** Decodes one reply at `pos`; returns it with the position after it, or null if incomplete. */
export function decodeReply(buf: Uint8Array, pos: number): { reply: Reply; end: number } | null {
  if (pos >= buf.length) return null;
  const cr = buf.indexOf(13, pos);
  if (cr < 0 || cr + 1 >= buf.length) return null;
  const type = String.fromCharCode(buf[pos]);
  const line = latin1(buf, pos + 1, cr);
  let p = cr + 2;
  const agg = (n: number): { items: Reply[]; end: number } | null => {
    const items: Reply[] = [];
    for (let i = 0; i < n; i++) {
      const r = decodeReply(buf, p);
      if (r === null) return null;
      items.push(r.reply);
      p = r.end;
    }
    return { items, end: p };
  };
  switch (type) {
    case '+': return { reply: { type: 'simple', value: line }, end: p };
    case '-': return { reply: { type: 'error', value: line }, end: p };
    case ':': return { reply: { type: 'int', value: BigInt(line) }, end: p };
    case '_': return { reply: { type: 'null' }, end: p };
    case '#': return { reply: { type: 'bool', value: line === 't' }, end: p };
    case ',': return { reply: { type: 'double', value: line }, end: p };
    case '(': return { reply: { type: 'bignum', value: line }, end: p };
    case '$':
    case '=':
    case '!': {
      const n = Number(line);
      if (n < 0) return { reply: { type: 'bulk', value: null }, end: p };
      if (p + n + 2 > buf.length) return null;
      const s = latin1(buf, p, p + n);
      const end = p + n + 2;
      if (type === '!') return { reply: { type: 'error', value: s }, end };
      if (type === '=') return { reply: { type: 'verbatim', format: s.slice(0, 3), value: s.slice(4) }, end };
      return { reply: { type: 'bulk', value: s }, end };
    }
    case '*':
    case '~':
    case '>': {
      const n = Number(line);
      if (n < 0) return { reply: { type: 'array', value: null }, end: p };
      const r = agg(n);
      if (r === null) return null;
      if (type === '~') return { reply: { type: 'set', value: r.items }, end: r.end };
      if (type === '>') return { reply: { type: 'push', value: r.items }, end: r.end };
      return { reply: { type: 'array', value: r.items }, end: r.end };
    }
    case '%':
    case '|': {
      const n = Number(line);
      const r = agg(n * 2);
      if (r === null) return null;
      const pairs: [Reply, Reply][] = [];
      for (let i = 0; i < r.items.length; i += 2) pairs.push([r.items[i], r.items[i + 1]]);
      return { reply: { type: type === '%' ? 'map' : 'attribute', value: pairs }, end: r.end };
    }
    default:
      throw new Error(`Bad reply type byte ${JSON.stringify(type)} at ${pos}`);
  }
}

/** A reply as plain JS, for readable assertions: errors become {error}, ints become numbers
 * when safe, bulks strings, null stays null, arrays arrays, maps objects of [k, v] pairs. */
export function plain(r: Reply): unknown {
  switch (r.type) {
    case 'simple': return r.value;
    case 'error': return { error: r.value };
    case 'int': return r.value >= BigInt(Number.MIN_SAFE_INTEGER) && r.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r.value) : r.value;
    case 'bulk': return r.value;
    case 'array': return r.value === null ? null : r.value.map(plain);
    case 'null': return null;
    case 'bool': return r.value;
    case 'double': return r.value;
    case 'bignum': return r.value;
    case 'verbatim': return r.value;
    case 'map': return r.value.map(([k, v]) => [plain(k), plain(v)]);
    case 'set': return r.value.map(plain);
    case 'push': return { push: r.value.map(plain) };
    case 'attribute': return { attribute: r.value.map(([k, v]) => [plain(k), plain(v)]) };
  }
}

/** Encodes a command as a RESP multibulk (arguments are byte strings or Uint8Arrays). */
export function encodeCommand(args: readonly (string | number | Uint8Array)[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const enc = (s: string): Uint8Array => {
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
    return b;
  };
  parts.push(enc(`*${args.length}\r\n`));
  for (const a of args) {
    const b = a instanceof Uint8Array ? a : enc(String(a));
    parts.push(enc(`$${b.length}\r\n`), b, enc('\r\n'));
  }
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
