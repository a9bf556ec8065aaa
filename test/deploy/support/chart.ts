/**
 * The Helm chart deploy/helm/mcp-mesh, rendered by the real helm (`helm template`) with values
 * given as objects, and its objects checked against the Kubernetes API schemas by kind (the
 * `kubernetes-models` package: types, formats, required fields; unknown fields are not refused).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { repositoryRoot } from '../../e2e/support/registry-process.js';
import { kubeTools } from './kube-tools.js';

export const chartPath = join(repositoryRoot, 'deploy/helm/mcp-mesh');

/** The kubernetes-models package: a module per kind, at <apiVersion>/<Kind>.mjs. */
const models = dirname(createRequire(import.meta.url).resolve('kubernetes-models/package.json'));

/** A rendered object, loosely typed: tests read what they check. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are read field by field
  readonly [field: string]: any;
}

export interface HelmRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs helm with `args`, `values` (if any) in a values file of its own; never throws. */
export async function helm(args: readonly string[], values?: object): Promise<HelmRun> {
  const { helm: binary } = await kubeTools();
  const folder = mkdtempSync(join(tmpdir(), 'mesh-helm-'));
  try {
    const extra: string[] = [];
    if (values) {
      const file = join(folder, 'values.yaml');
      writeFileSync(file, stringify(values));
      extra.push('--values', file);
    }
    return await new Promise((done) => {
      execFile(
        binary,
        [...args, ...extra],
        // No kubeconfig of the machine's: rendering never talks to a cluster.
        {
          env: { PATH: process.env.PATH ?? '', HOME: folder, KUBECONFIG: join(folder, 'none') },
          maxBuffer: 32 * 1024 * 1024,
        },
        (error, stdout, stderr) =>
          done({
            code: error ? Number((error as { code?: number }).code ?? 1) : 0,
            stdout,
            stderr,
          }),
      );
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** `helm template <release> deploy/helm/mcp-mesh` with `values`: the objects, or helm's error. */
export async function renderChart(
  values: object = {},
  options: { readonly release?: string; readonly namespace?: string } = {},
): Promise<KubeObject[]> {
  const run = await helm(
    ['template', options.release ?? 'mesh', chartPath, '--namespace', options.namespace ?? 'mesh'],
    values,
  );
  if (run.code !== 0) throw new Error(`helm template failed:\n${run.stderr}`);
  return parseAllDocuments(run.stdout)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

/**
 * Validates `object` against the schema of its apiVersion and kind; throws naming the object and
 * what is wrong, or that no schema knows the kind.
 */
export async function validateObject(object: KubeObject): Promise<void> {
  const path = pathToFileURL(join(models, object.apiVersion, `${object.kind}.mjs`)).href;
  let model: new (data: unknown) => { validate(): void };
  try {
    model = ((await import(/* @vite-ignore */ path)) as Record<string, typeof model>)[object.kind]!;
  } catch (error) {
    throw new Error(
      `${object.kind} ${object.metadata.name}: no schema for ${object.apiVersion} ${object.kind} (${String(error)})`,
    );
  }
  try {
    new model(object).validate();
  } catch (error) {
    throw new Error(`${object.kind} ${object.metadata.name}: ${(error as Error).message}`);
  }
}

/** The one object of `kind` named `name`. */
export function find(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.filter((object) => object.kind === kind && object.metadata.name === name);
  if (found.length !== 1)
    throw new Error(
      `expected one ${kind} ${name}, found ${found.length} among ${objects.map((object) => `${object.kind}/${object.metadata.name}`).join(', ')}`,
    );
  return found[0]!;
}
