/**
 * A user's project outside this repository, driven as a user drives it: commands in its folder
 * (npm, npx meshctl, tsc, node) with a chosen Node.js first on the PATH, never a workspace link.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A process of the project's, started by `UserProject.start`. */
export interface ProjectProcess {
  readonly child: ChildProcess;
  /** The last of what it wrote (stdout and stderr), for failure messages. */
  output(): string;
}

export class UserProject {
  private readonly live = new Set<ChildProcess>();

  /** `node`: the binary every command of this project runs on (first on the PATH). */
  constructor(
    readonly directory: string,
    readonly node: string,
    private readonly environment: Readonly<Record<string, string>> = {},
  ) {}

  private env(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: `${dirname(this.node)}:${process.env.PATH ?? ''}`,
      NO_COLOR: '1',
      // The repository's own settings must not leak into the user's project.
      npm_config_prefix: '',
      ...this.environment,
      ...extra,
    };
  }

  /** Runs `command` in the project folder; never rejects. */
  run(
    command: string,
    args: readonly string[],
    options: { readonly env?: Readonly<Record<string, string>>; readonly timeoutMs?: number } = {},
  ): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        command,
        args,
        {
          cwd: this.directory,
          env: this.env(options.env ?? {}),
          timeout: options.timeoutMs ?? 120_000,
          maxBuffer: 16 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** `npx meshctl …` as the user types it. */
  meshctl(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Run> {
    return this.run('npx', ['meshctl', ...args], { env });
  }

  /** A long-running process (`node <args>`), killed by `stopAll()` whatever happened. */
  start(args: readonly string[], env: Readonly<Record<string, string>>): ProjectProcess {
    const child = spawn(this.node, args, {
      cwd: this.directory,
      env: this.env(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-10_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.live.add(child);
    child.once('exit', () => this.live.delete(child));
    return { child, output: () => output };
  }

  /** SIGTERM to every process `start` made, SIGKILL after `graceMs`. */
  async stopAll(graceMs = 10_000): Promise<void> {
    await Promise.all(
      [...this.live].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }

  readJson(file: string): Record<string, unknown> {
    return JSON.parse(readFileSync(join(this.directory, file), 'utf8')) as Record<string, unknown>;
  }

  writeJson(file: string, value: unknown): void {
    writeFileSync(join(this.directory, file), `${JSON.stringify(value, null, 2)}\n`);
  }
}
