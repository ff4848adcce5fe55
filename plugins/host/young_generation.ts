// Holding V8's young generation at its start-up size (Host.holdYoungGeneration).
import process from 'node:process';
import * as v8 from 'node:v8';

/**
 * V8 reads its growth factor at each growth, so it can be set at run time; 2 is its default.
 * A factor given on the command line is the user's to keep, and Bun (JavaScriptCore) has none.
 */
export function holdYoungGeneration(hold: boolean): void {
  if (typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined') return;
  if (process.execArgv.some((a) => a.includes('semi-space-growth-factor'))) return;
  try {
    v8.setFlagsFromString(`--semi-space-growth-factor=${hold ? 1 : 2}`);
  } catch {
    // A runtime without V8's flags grows as it likes.
  }
}
