// Redis's glob-style matching (stringmatchlen in src/util.c), used by KEYS, SCAN MATCH,
// CONFIG GET, PSUBSCRIBE and ACL key patterns: `*`, `?`, `[abc]`, `[^a-z]` (ranges may be given
// backwards), and `\x` to match x literally. Works on byte strings.
//
// Instead of Redis's recursion on `*`, this walks the pattern and the subject with one pointer
// each and remembers the last `*` to fall back to, which gives the same answers in O(n*m) time at
// worst: a hostile pattern cannot blow the stack or take exponential time. Every token other
// than `*` consumes exactly one byte, which is what makes falling back to the last `*` enough.
// Redis's quirks are kept:
// - the empty subject matches only the empty pattern (its loop never runs), so `*` does not
//   match "" (KEYS and SCAN answer `*` without matching, so there an empty key does show up);
// - an unterminated class ends with the pattern; `[a-]` is a range from 'a' to ']', reordered;
// - within a class `\x` compares x exactly, even when matching without case;
// - a range compares bytes as C's signed chars, so `[a-\xff]` is the range 0xff..'a';
// - a match that needs more than 1000 nested `*` (a `*` followed by more pattern counts as one
//   level) fails, Redis's guard against abusive patterns.

const MAX_NESTING = 1000;

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
    // Ranges compare C chars, which are signed: bytes 0x80-0xff sort below 0.
    const lc = nocase ? lower(c) : c;
    const cc = signed(lc);
    for (;;) {
      if (i >= pat.length) break; // unterminated: the end of the pattern closes the class
      const x = pat.charCodeAt(i);
      if (x === 92 /* \ */ && i + 1 < pat.length) {
        i++;
        if (pat.charCodeAt(i) === c) match = true;
      } else if (x === 93 /* ] */) {
        i++;
        break;
      } else if (i + 2 < pat.length && pat.charCodeAt(i + 1) === 45 /* - */) {
        let start = signed(x);
        let end = signed(pat.charCodeAt(i + 2));
        if (start > end) {
          const t = start;
          start = end;
          end = t;
        }
        if (nocase) {
          start = lower(start);
          end = lower(end);
        }
        i += 2;
        if (cc >= start && cc <= end) match = true;
      } else if ((nocase ? lower(x) : x) === lc) {
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

/** The index after the token at `p` (not `*`), following the same rules as matchToken. */
function skipToken(pat: string, p: number): number {
  const pc = pat.charCodeAt(p);
  if (pc === 92 /* \ */) return p + 1 < pat.length ? p + 2 : p + 1;
  if (pc !== 91 /* [ */) return p + 1;
  let i = p + 1;
  if (pat.charCodeAt(i) === 94) i++;
  for (;;) {
    if (i >= pat.length) return pat.length;
    const x = pat.charCodeAt(i);
    if (x === 92 && i + 1 < pat.length) i++;
    else if (x === 93) return i + 1;
    else if (i + 2 < pat.length && pat.charCodeAt(i + 1) === 45) i += 2;
    i++;
  }
}

/** How deep Redis's recursion goes to match the whole pattern: `*` runs followed by more. */
function starNesting(pat: string): number {
  let depth = 0;
  let p = 0;
  while (p < pat.length) {
    if (pat.charCodeAt(p) === 42) {
      while (p < pat.length && pat.charCodeAt(p) === 42) p++;
      if (p < pat.length) depth++;
    } else {
      p = skipToken(pat, p);
    }
  }
  return depth;
}

function signed(c: number): number {
  return c >= 128 ? c - 256 : c;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** True when `subject` matches the glob `pattern` (Redis's stringmatchlen). */
export function globMatch(pattern: string, subject: string, nocase = false): boolean {
  const pl = pattern.length;
  const sl = subject.length;
  if (sl === 0) return pl === 0;
  if (pl === 1 && pattern.charCodeAt(0) === 42) return true;
  // Each nesting level needs a `*` and another token, so short patterns cannot hit the limit.
  if (pl > 2 * MAX_NESTING && starNesting(pattern) > MAX_NESTING) return false;
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
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

/** True when the pattern has no special character, so it matches only itself. */
export function globIsLiteral(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 42 || c === 63 || c === 91 || c === 92) return false;
  }
  return true;
}
