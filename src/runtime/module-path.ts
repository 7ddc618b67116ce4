/**
 * Finds a sibling module to start in a child process or worker thread, both when kbench
 * runs compiled (dist/*.js) and when tests run the TypeScript sources through tsx.
 */
import { fileURLToPath } from 'node:url';

export interface ChildModule {
  readonly path: string;
  /** Node flags the child needs to load it (the tsx loader for .ts sources). */
  readonly execArgv: string[];
}

export function siblingModule(fromUrl: string, baseName: string): ChildModule {
  const fromTypeScript = fromUrl.endsWith('.ts');
  const url = new URL(`./${baseName}${fromTypeScript ? '.ts' : '.js'}`, fromUrl);
  return { path: fileURLToPath(url), execArgv: fromTypeScript ? ['--import', 'tsx'] : [] };
}
