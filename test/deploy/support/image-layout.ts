/**
 * An image of deploy/Dockerfile reproduced in a temporary folder, without a Docker engine: the
 * folder is the image's `/`, filled by the target's COPY instructions (the build context filtered
 * by .dockerignore, or the stage named by `--from`), with its ENV, WORKDIR, USER, HEALTHCHECK,
 * ENTRYPOINT and CMD. A COPY whose source does not exist fails, as the real build would.
 *
 * Builder stages are reproduced as follows — each RUN line must be one this file knows:
 * - `build` is this repository after `npm ci` and `npm run build` (the test run's global setup
 *   rebuilds stale packages); its examples compile for real, into a temporary folder;
 * - the dependency stages run their `npm ci` for real (offline, from npm's cache, which the
 *   repository's own install filled), once per lockfile and manifests (cached under .tools/);
 *   `npm rebuild better-sqlite3` is the one exception: a native build needs the network here, so
 *   the addon this machine's install built is copied instead; `rm -rf node_modules/<package>`
 *   removes that package.
 *
 * The node running the image's commands is this one (Node 20, the images' major version).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from '../../e2e/support/registry-process.js';
import { type Copy, type Dockerfile, parseDockerfile, type Stage } from './dockerfile.js';
import { dockerIgnore } from './dockerignore.js';

const run = promisify(execFile);

export const dockerfilePath = join(repositoryRoot, 'deploy/Dockerfile');

/** deploy/Dockerfile, parsed. */
export function readDockerfile(): Dockerfile {
  return parseDockerfile(readFileSync(dockerfilePath, 'utf8'));
}

/** Whether the build context (this repository) sends `path` to the builder. */
export const ignoredByDocker = dockerIgnore(
  readFileSync(join(repositoryRoot, '.dockerignore'), 'utf8'),
);

export interface ImageCommand {
  /** argv with `node` and image paths mapped onto this machine. */
  readonly argv: readonly string[];
  /** The working directory, mapped. */
  readonly cwd: string;
  /** The image's ENV (paths in values mapped), PATH and HOME. */
  readonly env: Readonly<Record<string, string>>;
}

export interface ImageLayout {
  readonly target: string;
  /** The image's `/`. */
  readonly root: string;
  readonly env: Readonly<Record<string, string>>;
  /** WORKDIR, an image path. */
  readonly workdir: string;
  readonly user: string | undefined;
  readonly exposed: readonly string[];
  readonly entrypoint: readonly string[] | undefined;
  readonly cmd: readonly string[] | undefined;
  readonly healthcheck:
    | { readonly options: Readonly<Record<string, string>>; readonly argv: readonly string[] }
    | undefined;
  /** Where an image path is on this machine. */
  hostPath(imagePath: string): string;
  /**
   * What a container runs, by the kubelet's rules: `command` replaces ENTRYPOINT (and then CMD
   * is dropped), `args` replaces CMD; `workingDir` replaces WORKDIR.
   */
  command(override?: {
    readonly command?: readonly string[];
    readonly args?: readonly string[];
    readonly workingDir?: string;
  }): ImageCommand;
  /** An argv run inside the image (a probe's exec, a HEALTHCHECK), mapped like `command`. */
  exec(argv: readonly string[]): readonly string[];
  remove(): void;
}

/** Reproduces the image `target` of deploy/Dockerfile in a new temporary folder. */
export async function reproduceImage(target: string): Promise<ImageLayout> {
  const dockerfile = readDockerfile();
  const root = mkdtempSync(join(tmpdir(), `mesh-image-${target}-`));
  const scratch: string[] = [root];
  try {
    // What the base image provides: the node user's home (node itself is this machine's).
    mkdirSync(join(root, 'home/node'), { recursive: true });
    const state: LayoutState = {
      env: {},
      workdir: '/',
      user: undefined,
      exposed: [],
      entrypoint: undefined,
      cmd: undefined,
      healthcheck: undefined,
    };
    const sources = new StageSources(dockerfile, scratch);
    await applyStage(dockerfile, dockerfile.stage(target), root, state, sources);
    const hostPath = (imagePath: string) => join(root, posix.resolve('/', imagePath));
    const mapValue = (value: string): string => {
      if (value.startsWith('file:/')) return `file:${mapValue(value.slice('file:'.length))}`;
      if (!value.startsWith('/')) return value;
      const top = value.split('/')[1];
      return top && existsSync(join(root, top)) ? hostPath(value) : value;
    };
    const exec = (argv: readonly string[]) =>
      argv.map((arg, index) => (index === 0 && arg === 'node' ? process.execPath : mapValue(arg)));
    const env = Object.fromEntries(
      Object.entries(state.env).map(([name, value]) => [name, mapValue(value)]),
    );
    return {
      target,
      root,
      env: state.env,
      workdir: state.workdir,
      user: state.user,
      exposed: state.exposed,
      entrypoint: state.entrypoint,
      cmd: state.cmd,
      healthcheck: state.healthcheck,
      hostPath,
      command(override = {}) {
        const entrypoint = override.command ?? state.entrypoint ?? [];
        const args = override.args ?? (override.command ? [] : (state.cmd ?? []));
        return {
          argv: exec([...entrypoint, ...args]),
          cwd: hostPath(override.workingDir ?? state.workdir),
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: hostPath('/home/node'), ...env },
        };
      },
      exec,
      remove() {
        for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

interface LayoutState {
  env: Record<string, string>;
  workdir: string;
  user: string | undefined;
  exposed: string[];
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  healthcheck: { options: Record<string, string>; argv: string[] } | undefined;
}

/** Applies a final stage (and the stages it is FROM) onto `root`. */
async function applyStage(
  dockerfile: Dockerfile,
  stage: Stage,
  root: string,
  state: LayoutState,
  sources: StageSources,
): Promise<void> {
  if (dockerfile.stages.some((other) => other.name === stage.base)) {
    await applyStage(dockerfile, dockerfile.stage(stage.base), root, state, sources);
  } else if (!/^node:\d+[\w.-]*-slim$/.test(stage.base)) {
    throw new Error(
      `stage ${stage.name}: a final image starts from node's slim image, not ${stage.base}`,
    );
  }
  for (const instruction of stage.instructions) {
    switch (instruction.kind) {
      case 'ENV':
        Object.assign(state.env, instruction.values);
        break;
      case 'WORKDIR':
        state.workdir = posix.resolve(state.workdir, instruction.path);
        mkdirSync(join(root, state.workdir), { recursive: true });
        break;
      case 'COPY':
        await copy(instruction, root, state.workdir, sources);
        break;
      case 'USER':
        state.user = instruction.user;
        break;
      case 'EXPOSE':
        state.exposed.push(...instruction.ports);
        break;
      case 'HEALTHCHECK':
        state.healthcheck = { options: { ...instruction.options }, argv: execForm(instruction) };
        break;
      case 'ENTRYPOINT':
        state.entrypoint = execForm(instruction);
        // Docker drops an inherited CMD when a stage sets its own ENTRYPOINT.
        state.cmd = undefined;
        break;
      case 'CMD':
        state.cmd = execForm(instruction);
        break;
      case 'RUN':
        throw new Error(
          `line ${instruction.line}: a final image runs nothing at build time (RUN ${instruction.command}); do it in a builder stage`,
        );
    }
  }
}

function execForm(instruction: {
  kind: string;
  line: number;
  command: { exec: readonly string[] | undefined; shell: string | undefined };
}): string[] {
  if (!instruction.command.exec)
    throw new Error(
      `line ${instruction.line}: ${instruction.kind} in shell form (${instruction.command.shell}): write the exec form, so that signals reach node and not a shell`,
    );
  return [...instruction.command.exec];
}

async function copy(
  instruction: Copy,
  root: string,
  workdir: string,
  sources: StageSources | undefined,
): Promise<void> {
  const destination = posix.resolve(workdir, instruction.destination);
  const intoFolder = instruction.destination.endsWith('/') || instruction.sources.length > 1;
  for (const source of instruction.sources) {
    if (instruction.from !== undefined && !sources)
      throw new Error(`line ${instruction.line}: COPY --from is not expected here`);
    const from =
      instruction.from === undefined
        ? contextPath(source, instruction.line)
        : await sources!.path(instruction.from, source, instruction.line);
    const target = join(
      root,
      intoFolder && !statSync(from).isDirectory()
        ? posix.join(destination, basename(from))
        : destination,
    );
    mkdirSync(statSync(from).isDirectory() ? target : dirname(target), { recursive: true });
    await copyTree(from, target, instruction.from === undefined ? source : undefined);
  }
}

/** A source in the build context: it must exist and not be left out by .dockerignore. */
function contextPath(source: string, line: number): string {
  const normalized = posix.normalize(source);
  const relative = normalized === '.' || normalized === './' ? '' : normalized.replace(/^\.\//, '');
  const path = join(repositoryRoot, relative);
  if (!existsSync(path) || (relative !== '' && ignoredByDocker(relative)))
    throw new Error(`line ${line}: COPY ${source}: not in the build context`);
  return path;
}

/**
 * Copies a file, or a folder's contents, keeping symbolic links as they are (as COPY does);
 * hard links where it can (the same file system), which is fast. From the context, paths that
 * .dockerignore leaves out are skipped.
 */
async function copyTree(
  from: string,
  to: string,
  contextRelative: string | undefined,
): Promise<void> {
  if (!statSync(from).isDirectory()) {
    cpSync(from, to);
    return;
  }
  if (contextRelative !== undefined) {
    cpSync(from, to, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (path) => {
        const inside = posix.join(contextRelative, path.slice(from.length).replace(/^\//, ''));
        return !ignoredByDocker(inside);
      },
    });
    return;
  }
  try {
    await run('cp', ['-al', `${from}/.`, to]);
  } catch {
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
}

/** Where the files of a builder stage are, reproducing each once. */
class StageSources {
  private readonly roots = new Map<string, Promise<(imagePath: string) => string>>();

  constructor(
    private readonly dockerfile: Dockerfile,
    private readonly scratch: string[],
  ) {}

  async path(stageName: string, imagePath: string, line: number): Promise<string> {
    let resolver = this.roots.get(stageName);
    if (!resolver) {
      resolver = this.reproduce(this.dockerfile.stage(stageName));
      this.roots.set(stageName, resolver);
    }
    const path = (await resolver)(imagePath);
    if (!existsSync(path))
      throw new Error(
        `line ${line}: COPY --from=${stageName} ${imagePath}: the stage has no such file`,
      );
    return path;
  }

  private async reproduce(stage: Stage): Promise<(imagePath: string) => string> {
    if (stage.name === 'build') return this.buildStage(stage);
    if (stage.name.endsWith('-dependencies')) return dependencyStage(this.dockerfile, stage);
    throw new Error(`stage ${stage.name}: this reproduction does not know how to build it`);
  }

  /** The repository, built; the examples compiled into a folder of their own. */
  private async buildStage(stage: Stage): Promise<(imagePath: string) => string> {
    const workdir = workdirOf(this.dockerfile, stage);
    const runs = stage.instructions.flatMap((instruction) =>
      instruction.kind === 'RUN' ? [instruction.command] : [],
    );
    const known = [
      'npm ci --ignore-scripts --no-audit --no-fund',
      'node build/build.mjs runtime registry',
      'node deploy/docker/compile-examples.mjs examples/dist',
    ];
    if (JSON.stringify(runs) !== JSON.stringify(known))
      throw new Error(
        `stage build runs ${JSON.stringify(runs)}; this reproduction knows ${JSON.stringify(known)}: teach it the new steps`,
      );
    const examples = mkdtempSync(join(tmpdir(), 'mesh-examples-build-'));
    this.scratch.push(examples);
    await run(process.execPath, ['deploy/docker/compile-examples.mjs', examples], {
      cwd: repositoryRoot,
    });
    const examplesPath = posix.join(workdir, 'examples/dist');
    return (imagePath) => {
      const resolved = posix.resolve(workdir, imagePath);
      if (resolved === examplesPath || resolved.startsWith(`${examplesPath}/`))
        return join(examples, resolved.slice(examplesPath.length));
      if (!resolved.startsWith(`${workdir}/`))
        throw new Error(`stage build: ${imagePath} is outside ${workdir}`);
      return join(repositoryRoot, resolved.slice(workdir.length + 1));
    };
  }
}

/** `stage` and the stages it is FROM, the first first. */
function stageChain(dockerfile: Dockerfile, stage: Stage): Stage[] {
  const chain = [stage];
  for (;;) {
    const base = chain[0]!.base;
    const parent = dockerfile.stages.find((other) => other.name === base);
    if (!parent) return chain;
    chain.unshift(parent);
  }
}

function workdirOf(dockerfile: Dockerfile, stage: Stage): string {
  let workdir = '/';
  for (const each of stageChain(dockerfile, stage))
    for (const instruction of each.instructions)
      if (instruction.kind === 'WORKDIR') workdir = posix.resolve(workdir, instruction.path);
  return workdir;
}

/**
 * A dependency stage, its RUN lines run for real in a folder holding what its COPY lines bring
 * (from `manifests`): cached under .tools/image-dependencies/, keyed by those files and lines.
 */
async function dependencyStage(
  dockerfile: Dockerfile,
  stage: Stage,
): Promise<(imagePath: string) => string> {
  const chain = stageChain(dockerfile, stage);
  const copies = chain.flatMap((each) =>
    each.instructions.flatMap((instruction) => (instruction.kind === 'COPY' ? [instruction] : [])),
  );
  const runs = chain.flatMap((each) =>
    each.instructions.flatMap((instruction) =>
      instruction.kind === 'RUN' ? [instruction.command] : [],
    ),
  );
  const workdir = workdirOf(dockerfile, stage);
  const key = createHash('sha256');
  key.update(JSON.stringify({ runs, node: process.versions.node.split('.')[0] }));
  for (const instruction of copies)
    for (const source of instruction.sources) {
      if (instruction.from !== undefined)
        throw new Error(`stage ${stage.name}: COPY --from is not expected in a dependency stage`);
      key.update(source);
      key.update(readFileSync(contextPath(source, instruction.line)));
    }
  const cacheRoot = join(repositoryRoot, '.tools', 'image-dependencies');
  const cached = join(cacheRoot, `${stage.name}-${key.digest('hex').slice(0, 16)}`);
  if (!existsSync(cached)) {
    mkdirSync(cacheRoot, { recursive: true });
    const building = mkdtempSync(join(cacheRoot, `.${stage.name}-`));
    try {
      const stageWorkdir = join(building, workdir);
      mkdirSync(stageWorkdir, { recursive: true });
      for (const instruction of copies) await copy(instruction, building, workdir, undefined);
      for (const command of runs) await runDependencyStep(command, stageWorkdir);
      try {
        renameSync(building, cached);
      } catch (error) {
        // Another test file made the same one meanwhile: use it.
        if (!existsSync(cached)) throw error;
      }
    } finally {
      rmSync(building, { recursive: true, force: true });
    }
  }
  return (imagePath) => join(cached, posix.resolve(workdir, imagePath));
}

async function runDependencyStep(command: string, cwd: string): Promise<void> {
  if (command === 'npm rebuild better-sqlite3') {
    const built = join(repositoryRoot, 'node_modules/better-sqlite3/build');
    if (!existsSync(join(cwd, 'node_modules/better-sqlite3')))
      throw new Error('npm rebuild better-sqlite3: the stage installed no better-sqlite3');
    cpSync(built, join(cwd, 'node_modules/better-sqlite3/build'), { recursive: true });
    return;
  }
  const removal = /^rm -rf (node_modules\/[@\w.-]+(?:\/[\w.-]+)?)$/.exec(command);
  if (removal) {
    rmSync(join(cwd, removal[1]!), { recursive: true, force: true });
    return;
  }
  if (!command.startsWith('npm ci '))
    throw new Error(
      `a dependency stage runs "${command}"; this reproduction knows npm ci, npm rebuild better-sqlite3 and rm -rf node_modules/<package> only`,
    );
  const [, ...args] = command.split(/\s+/);
  try {
    await run('npm', args, {
      cwd,
      // A clean environment (not `npm test`'s npm_* variables), offline: from npm's cache.
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/root',
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
      },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`${command} failed in ${cwd}:\n${stderr ?? String(error)}`);
  }
}

/** The files under `folder`, relative, for assertions. */
export function listFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1));
}
