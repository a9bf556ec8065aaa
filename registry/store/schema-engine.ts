import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as engineModule from '@prisma/schema-engine-wasm/schema_engine_bg';

export type SchemaEngine = engineModule.SchemaEngine;

/** The part of the WebAssembly API we use (the project's `lib` has no WebAssembly types). */
const webAssembly = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(
        bytes: Uint8Array,
        imports: Record<string, Record<string, unknown>>,
      ): Promise<{ instance: { exports: Record<string, unknown> } }>;
    };
  }
).WebAssembly;

let instantiated: Promise<void> | undefined;

/**
 * Instantiates Prisma's schema engine compiled to WebAssembly, once per process. The package's
 * own entry imports the `.wasm` file as an ES module, which Node cannot do: we read and
 * instantiate it ourselves and hand its exports to the JavaScript glue.
 */
function instantiateEngine(): Promise<void> {
  instantiated ??= (async () => {
    const require = createRequire(import.meta.url);
    const glue = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(glue), 'schema_engine_bg.wasm'));
    const { instance } = await webAssembly.instantiate(bytes, {
      './schema_engine_bg.js': engineModule as unknown as Record<string, unknown>,
    });
    engineModule.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start === 'function') start();
  })().catch((error: unknown) => {
    instantiated = undefined;
    throw error;
  });
  return instantiated;
}

/** Whether this process instantiated the engine (it then keeps its memory until it exits). */
export function schemaEngineInstantiated(): boolean {
  return instantiated !== undefined;
}

/** A Prisma schema file given to the engine: a name for messages, and the text. */
export interface DatamodelFile {
  readonly path: string;
  readonly content: string;
}

/** Log lines of the engine are dropped unless `MESH_SCHEMA_ENGINE_LOG` is set. */
function engineLog(line: string): void {
  if (process.env.MESH_SCHEMA_ENGINE_LOG) process.stderr.write(`[schema-engine] ${line}\n`);
}

/**
 * Runs `work` with a schema engine that reaches the database through `adapterFactory` (a
 * driver adapter factory of `@prisma/adapter-better-sqlite3` or `@prisma/adapter-pg`), then
 * frees the engine. `datamodels` are the Prisma schemas the engine starts from.
 */
export async function withSchemaEngine<T>(
  datamodels: readonly DatamodelFile[],
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await instantiateEngine();
  const tracked = trackConnections(adapterFactory);
  const panics = capturePanics();
  try {
    const engine = await engineModule.SchemaEngine.new(
      { datamodels: datamodels.map((file) => [file.path, file.content]) },
      engineLog,
      bindMigrationAwareSqlAdapterFactory(tracked.factory),
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } catch (error) {
    throw panics.explain(error);
  } finally {
    panics.release();
    await tracked.disposeAll();
  }
}

interface PanicRegistry {
  set_message(message: string): void;
}
const panicGlobal = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
let capturing = 0;
let previousSetMessage: ((message: string) => void) | undefined;
const panicMessages: string[] = [];

/**
 * Prisma's WebAssembly modules report a Rust panic through the global
 * `PRISMA_WASM_PANIC_REGISTRY` (Prisma Client installs one that throws; without one the panic
 * surfaces as "Cannot read properties of undefined"). While an engine call runs we record the
 * message instead, to put it in the error; Prisma Client swaps in its own recorder around its
 * synchronous calls and restores ours.
 */
function capturePanics(): { explain: (error: unknown) => unknown; release: () => void } {
  if (capturing++ === 0) {
    panicGlobal.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: () => {} };
    const registry = panicGlobal.PRISMA_WASM_PANIC_REGISTRY;
    previousSetMessage = registry.set_message;
    registry.set_message = (message) => {
      panicMessages.push(message);
    };
  }
  let released = false;
  return {
    explain: (error) => {
      const panic = panicMessages.at(-1);
      if (panic === undefined) return error;
      return new Error(`Prisma schema engine panicked: ${panic}`, { cause: error });
    },
    release: () => {
      if (released) return;
      released = true;
      if (--capturing === 0 && panicGlobal.PRISMA_WASM_PANIC_REGISTRY) {
        panicGlobal.PRISMA_WASM_PANIC_REGISTRY.set_message = previousSetMessage ?? (() => {});
        panicMessages.length = 0;
      }
    },
  };
}

/**
 * Wraps a factory so that every connection it opens for the engine is closed afterwards, even
 * when the engine does not dispose it itself (an open SQLite handle keeps the file busy, an
 * open pool keeps the process alive). Disposing twice is harmless.
 */
function trackConnections(factory: SqlMigrationAwareDriverAdapterFactory): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  disposeAll: () => Promise<void>;
} {
  const open = new Set<SqlDriverAdapter>();
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () => {
      open.delete(adapter);
      disposed ??= dispose();
      return disposed;
    };
    open.add(adapter);
    return adapter;
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => track(await factory.connect()),
      connectToShadowDb: async () => track(await factory.connectToShadowDb()),
    },
    disposeAll: async () => {
      await Promise.all([...open].map((adapter) => adapter.dispose()));
    },
  };
}
