// Redis's glob-style matching (stringmatchlen in src/util.c), used by KEYS, SCAN MATCH,
// CONFIG GET, PSUBSCRIBE and ACL key patterns: `*`, `?`, `[abc]`, `[^a-z]` (ranges may be given
// backwards), and `\x` to match x literally. Works on byte strings.
//
// Instead of Redis's recursion on `*`, this walks the pattern and the subject with one pointer
// each and remembers the last `*` to fall back to, which gives the same answers in O(n*m) time at
// worst: a hostile pattern cannot blow the stack or take exponential time.

/** Matches one pattern token at `p` against char code `c`; returns the index after the token,
 * or -1 when it does not match. The token is never `*`. */
function matchToken(pat: string, p: number, c: number, nocase: boolean): number {
  const pc = pat.charCodeAt(p);
  if (pc === 63 /* ? */) return p + 1;
  if (pc === 91 /* [ */) {
    let i = p + 1;
    const not = pat.charCodeAt(i) === 94; /* ^ */
    if (not) i++;
    let match = false;
    const cc = nocase ? lower(c) : c;
    for (;;) {
      if (i >= pat.length) {
        // Unterminated class: Redis treats the end as closing it.
        i = pat.length;
        break;
      }
      const x = pat.charCodeAt(i);
      if (x === 92 /* \ */ && i + 1 < pat.length) {
        i++;
        if ((nocase ? lower(pat.charCodeAt(i)) : pat.charCodeAt(i)) === cc) match = true;
      } else if (x === 93 /* ] */) {
        i++;
        break;
      } else if (i + 2 < pat.length && pat.charCodeAt(i + 1) === 45 /* - */) {
        let start = pat.charCodeAt(i);
        let end = pat.charCodeAt(i + 2);
        if (start > end) [start, end] = [end, start];
        if (nocase) {
          start = lower(start);
          end = lower(end);
        }
        i += 2;
        if (cc >= start && cc <= end) match = true;
      } else if ((nocase ? lower(x) : x) === cc) {
        match = true;
      }
      i++;
    }
    if (not) match = !match;
    return match ? i : -1;
  }
  let lit = pc;
  let next = p + 1;
  if (pc === 92 /* \ */ && p + 1 < pat.length) {
    lit = pat.charCodeAt(p + 1);
    next = p + 2;
  }
  if (nocase ? lower(lit) === lower(c) : lit === c) return next;
  return -1;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** True when `subject` matches the glob `pattern`. */
export function globMatch(pattern: string, subject: string, nocase = false): boolean {
  // The common patterns, answered without the general walk.
  if (pattern === '*') return true;
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  const pl = pattern.length;
  const sl = subject.length;
  while (s < sl) {
    if (p < pl && pattern.charCodeAt(p) === 42 /* * */) {
      while (p < pl && pattern.charCodeAt(p) === 42) p++;
      if (p === pl) return true;
      starP = p;
      starS = s;
      continue;
    }
    if (p < pl) {
      const next = matchToken(pattern, p, subject.charCodeAt(s), nocase);
      if (next >= 0) {
        p = next;
        s++;
        continue;
      }
    }
    if (starP < 0) return false;
    p = starP;
    s = ++starS;
  }
  while (p < pl && pattern.charCodeAt(p) === 42) p++;
  return p === pl;
}

/** The literal prefix of a pattern before its first special character (for fast filtering). */
export function globIsLiteral(pattern: string): boolean {
  return !/[*?[\\]/.test(pattern);
}
