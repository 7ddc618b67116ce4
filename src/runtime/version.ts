import { createRequire } from 'node:module';

/** kbench's own version, from package.json (same relative path from src/ and dist/). */
export const KBENCH_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;
