// The first module the bundles evaluate (scripts/build.mjs puts it before mod.ts): evaluating
// the others (the command table, the docs) is start-up work whose survivors would otherwise grow
// the young generation before the CLI can hold it (see Host.holdYoungGeneration).
import { holdYoungGeneration } from './young_generation.ts';

holdYoungGeneration(true);
