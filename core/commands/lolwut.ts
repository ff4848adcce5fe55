// LOLWUT: https://redis.io/commands/lolwut/
//
// Clients and tools call it to print the server version (redis-cli LOLWUT, some test suites), so
// it answers as Redis 7.0 does: a verbatim string (a bulk in RESP2). Redis 7.0 has no art of its
// own; `VERSION 5` and `VERSION 6` draw the art of those releases (Schotter, a skyline) from
// random numbers, so only their size and text are fixed, and that is what is matched here.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR } from '../errors.ts';
import { REDIS_VERSION } from '../server.ts';
import { parseInteger } from '../numbers.ts';

export const commands: CommandSpec[] = [
  {
    name: 'lolwut', arity: -1, flags: ['readonly', 'fast'], categories: ['read', 'fast'],
    summary: 'Display some computer art and the Redis version', since: '5.0.0', group: 'server',
    args: '[VERSION version:integer]', handler: lolwut,
  },
];

/** Redis's getLongFromObjectOrReply: a whole int64 or the error reply (then null). */
function longArg(c: Client, s: string): number | null {
  const v = parseInteger(s);
  if (v === null) c.server.replyError(c, ERR.notInteger);
  return v;
}

function lolwut(c: Client, argv: string[]): void {
  let args = argv;
  let version = 0; // not 5 or 6: Redis 7.0's own output
  if (argv.length >= 3 && argv[1].toLowerCase() === 'version') {
    const v = parseInteger(argv[2]);
    if (v === null) return c.server.replyError(c, ERR.notInteger);
    // Redis prints `(unsigned int)ver` as "%u.0.0" and picks the art by its first characters.
    version = Number(BigInt.asUintN(32, BigInt(argv[2])));
    // The art takes its own arguments after VERSION n.
    args = argv.slice(2);
  }
  if (version === 5) return lolwut5(c, args);
  if (version === 6) return lolwut6(c, args);
  c.out.verbatim(`Redis ver. ${REDIS_VERSION}\n`);
}

class Canvas {
  readonly pixels: Uint8Array;
  constructor(readonly width: number, readonly height: number, bg: number) {
    this.pixels = new Uint8Array(width * height).fill(bg);
  }
  set(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }
  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width];
  }
  /** Bresenham, as lwDrawLine. */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1), dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1, sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.set(x1, y1, color);
      if (x1 === x2 && y1 === y2) break;
      const e2 = err * 2;
      if (e2 > -dy) { err -= dy; x1 += sx; }
      if (e2 < dx) { err += dx; y1 += sy; }
    }
  }
  /** lwDrawSquare: the four corners on a circle, rotated by `angle`. */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    const f = Math.fround;
    size = Math.round(f(size / 1.4142135623));
    const px: number[] = [], py: number[] = [];
    let k = f(Math.PI / 4 + angle);
    for (let j = 0; j < 4; j++) {
      px.push(Math.round(Math.sin(k) * size + x));
      py.push(Math.round(Math.cos(k) * size + y));
      k = f(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) this.line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
  }
}

/** C's (clamped) optional long arguments of the art commands; null after an error reply. */
function artArgs(c: Client, args: string[], defaults: number[], max: number[]): number[] | null {
  const out = defaults.slice();
  for (let i = 0; i < defaults.length; i++) {
    if (args.length <= i + 1) break;
    const v = longArg(c, args[i + 1]);
    if (v === null) return null;
    out[i] = v;
  }
  return out.map((v, i) => Math.min(Math.max(v, 1), max[i]));
}

const rand = (n: number): number => Math.floor(Math.random() * n);

function lolwut5(c: Client, args: string[]): void {
  const parsed = artArgs(c, args, [66, 8, 12], [1000, 200, 200]);
  if (parsed === null) return;
  const [cols, perRow, perCol] = parsed;
  const f = Math.fround;
  // lwDrawSchotter, with C's float arithmetic and truncations.
  const width = cols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f((width - padding * 2) / perRow);
  const canvas = new Canvas(width, Math.trunc(f(f(side * perCol) + padding * 2)), 0);
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f(f(f(x * side) + f(side / 2)) + padding));
      let sy = Math.trunc(f(f(f(y * side) + f(side / 2)) + padding));
      let angle = 0;
      if (y > 1) {
        const r = (): number => f(f(Math.random() / perCol) * y) * (rand(2) ? -1 : 1);
        const r1 = r(), r2 = r(), r3 = r();
        angle = r1;
        sx = Math.trunc(sx + f(f(r2 * side) / 3));
        sy = Math.trunc(sy + f(f(r3 * side) / 3));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  // Braille characters, 2x4 pixels each, written as their UTF-8 bytes.
  let text = '';
  for (let y = 0; y < canvas.height; y += 4) {
    for (let x = 0; x < canvas.width; x += 2) {
      let byte = 0;
      const bits: [number, number][] = [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [0, 3], [1, 3]];
      bits.forEach(([dx, dy], i) => { if (canvas.get(x + dx, y + dy)) byte |= 1 << i; });
      const code = 0x2800 + byte;
      text += String.fromCharCode(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    }
    if (y !== canvas.height - 1) text += '\n';
  }
  text += `\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${REDIS_VERSION}\n`;
  c.out.verbatim(text);
}

function lolwut6(c: Client, args: string[]): void {
  const parsed = artArgs(c, args, [80, 20], [1000, 1000]);
  if (parsed === null) return;
  const [cols, rows] = parsed;
  const canvas = new Canvas(cols, rows, 3);
  const h = canvas.height;
  const skyscraper = (xoff: number, width: number, height: number, windows: boolean, color: number): void => {
    const starty = h - 1, endy = starty - height + 1;
    for (let y = starty; y >= endy; y--) {
      for (let x = xoff; x < xoff + width; x++) {
        if (y === endy && (x <= xoff + 1 || x >= xoff + width - 2)) continue; // the narrower roof
        let pix = color;
        if (windows && x > xoff + 1 && x < xoff + width - 2 && y > endy + 1 && y < starty - 1) {
          const relx = x - (xoff + 1), rely = y - (endy + 1);
          if ((Math.trunc(relx / 2) % 2) && rely % 2) {
            do pix = 1 + rand(2); while (pix === color);
            if (relx % 2) pix = canvas.get(x - 1, y);
          }
        }
        canvas.set(x, y, pix);
      }
    }
  };
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width;) {
      offset += rand(8);
      const width = 10 + rand(9);
      const height = color === 2 ? Math.trunc(h / 2) + Math.trunc(rand(h) / 2) : Math.trunc(h / 2) + Math.trunc(rand(h) / 3);
      skyscraper(offset, width, height, false, color);
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < canvas.width;) {
    offset += rand(8);
    let width = 5 + rand(14);
    if (width % 4) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc(rand(h) / 2);
    skyscraper(offset, width, height, true, 0);
    offset += width + 5;
  }
  const escapes = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'];
  let text = '';
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) text += `\x1b[${escapes[canvas.get(x, y)] ?? escapes[0]} \x1b[0m`;
    if (y !== canvas.height - 1) text += '\n';
  }
  text += '\nDedicated to the 8 bit game developers of past and present.\n' +
    `Original 8 bit image from Plaguemon by hikikomori. Redis ver. ${REDIS_VERSION}\n`;
  c.out.verbatim(text);
}
