// Lets Node 20 run the TypeScript sources directly (Node strips types natively only from 22.6);
// Deno and Bun run them as they are. Used by `npm run dev` and by the test runner.
import { register } from 'node:module';

register('./ts_hooks.mjs', import.meta.url);
