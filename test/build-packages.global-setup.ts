import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Before any test: rebuild the packages whose sources changed since their last build, so the
 * processes that end-to-end tests start (compiled JavaScript, as users run it) match the code.
 */
export default function buildStalePackages(): void {
  const script = fileURLToPath(new URL('../build/build.mjs', import.meta.url));
  execFileSync(process.execPath, [script, '--if-stale'], { stdio: 'inherit' });
}
