// Runs echokv from the TypeScript sources on Node 20 (no build step): `npm run dev -- --port 7000`.
import './ts_register.mjs';

const { main } = await import('../mod.ts');
await main(process.argv.slice(2));
