import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { generatedHeader } from '../emit/header.js';
import type { Output } from '../outputs.js';
import { projectHeader } from './project-header.js';

const run = promisify(execFile);

/** A Prisma schema as `emitPrismaSchemas` produces it: path relative to the project root. */
export interface PrismaSchemaFile {
  readonly path: string;
  readonly content: string;
}

/** The Prisma CLI of the installed `prisma` package. */
function prismaCli(): string {
  return createRequire(import.meta.url).resolve('prisma/build/index.js');
}

/**
 * Runs `prisma generate` for each schema and returns the client files it writes, under the
 * folder the schema's `generator client { output = … }` names, relative to `projectRoot`.
 *
 * Generation happens in a temporary copy of the schema's folder layout, so the project's
 * files change only through the returned outputs (and `--check` can compare them). The schema
 * content is taken as given, not read from disk: in check mode the schema on disk may be stale.
 * Prisma's CLI wants a schema engine binary it cannot download here; generating does not run
 * it, so `PRISMA_SCHEMA_ENGINE_BINARY=/bin/false` satisfies it. The output was checked to be
 * byte-for-byte the same across runs and folders (no absolute path, no timestamp); each file
 * gets our generated-file header so that stale files can be recognised.
 */
export async function emitPrismaClients(
  projectRoot: string,
  schemas: readonly PrismaSchemaFile[],
): Promise<Output[]> {
  const outputs = await Promise.all(schemas.map((schema) => emitPrismaClient(projectRoot, schema)));
  return outputs.flat();
}

async function emitPrismaClient(projectRoot: string, schema: PrismaSchemaFile): Promise<Output[]> {
  const clientDirectory = clientOutput(schema);
  const workspace = mkdtempSync(join(tmpdir(), 'mesh-prisma-client-'));
  try {
    const schemaCopy = join(workspace, schema.path);
    mkdirSync(dirname(schemaCopy), { recursive: true });
    writeFileSync(schemaCopy, schema.content);
    try {
      await run(process.execPath, [prismaCli(), 'generate', '--schema', schema.path], {
        cwd: workspace,
        env: {
          ...process.env,
          PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
          CHECKPOINT_DISABLE: '1',
          NO_COLOR: '1',
        },
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      const failure = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(
        `prisma generate failed for ${schema.path}:\n${failure.stderr || failure.stdout || failure.message}`,
      );
    }
    const produced = join(workspace, clientDirectory);
    return listFiles(produced).map((file) => {
      const path = join(clientDirectory, file);
      const source = toPosix(relative(dirname(path), schema.path));
      return {
        path: join(projectRoot, path),
        content: withHeader(readFileSync(join(produced, file), 'utf8'), source),
        kind: 'generated' as const,
      };
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** The client folder relative to the project root: the schema's generator `output`. */
export function clientOutput(schema: PrismaSchemaFile): string {
  const generator = /generator\s+client\s*\{([^}]*)\}/.exec(schema.content)?.[1];
  const output = generator && /^\s*output\s*=\s*"([^"]+)"/m.exec(generator)?.[1];
  if (!output) {
    throw new Error(`${schema.path}: the generator client block names no output folder`);
  }
  const path = posix.normalize(posix.join(posix.dirname(toPosix(schema.path)), output));
  if (path.startsWith('..') || posix.isAbsolute(path)) {
    throw new Error(`${schema.path}: the client output ${output} leaves the project`);
  }
  return path;
}

/** Prisma's files start with a blank line and a banner; ours goes first. */
function withHeader(content: string, source: string): string {
  return `${generatedHeader(source, projectHeader)}${content.replace(/^\n/, '')}`;
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)))
    .sort();
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
