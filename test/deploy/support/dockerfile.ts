/**
 * A Dockerfile read the way BuildKit reads it, for the instructions deploy/Dockerfile uses:
 * comments and parser directives, `\` continuations, `ARG` defaults substituted in `FROM`,
 * stages (`FROM … AS name`), `ENV`, `WORKDIR`, `COPY [--from] [--chown] src… dest`, `RUN`,
 * `USER`, `EXPOSE`, `HEALTHCHECK [options] CMD`, `ENTRYPOINT` and `CMD`. Exec forms (JSON
 * arrays) are parsed; a shell form is kept as `shell` so that a check can refuse it.
 */

export interface Copy {
  readonly kind: 'COPY';
  /** The stage it copies from; undefined: the build context. */
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly destination: string;
  readonly line: number;
}

export interface Command {
  /** The exec form's argv; undefined when the shell form was written. */
  readonly exec: readonly string[] | undefined;
  readonly shell: string | undefined;
}

export type Instruction =
  | Copy
  | {
      readonly kind: 'ENV';
      readonly values: Readonly<Record<string, string>>;
      readonly line: number;
    }
  | { readonly kind: 'WORKDIR'; readonly path: string; readonly line: number }
  | { readonly kind: 'RUN'; readonly command: string; readonly line: number }
  | { readonly kind: 'USER'; readonly user: string; readonly line: number }
  | { readonly kind: 'EXPOSE'; readonly ports: readonly string[]; readonly line: number }
  | {
      readonly kind: 'HEALTHCHECK';
      readonly options: Readonly<Record<string, string>>;
      readonly command: Command;
      readonly line: number;
    }
  | { readonly kind: 'ENTRYPOINT' | 'CMD'; readonly command: Command; readonly line: number };

export interface Stage {
  readonly name: string;
  /** What it starts from: an image reference, or an earlier stage's name. */
  readonly base: string;
  readonly instructions: readonly Instruction[];
  readonly line: number;
}

export interface Dockerfile {
  readonly stages: readonly Stage[];
  stage(name: string): Stage;
}

/** Parses `text`; throws on an instruction it does not know, naming its line. */
export function parseDockerfile(text: string): Dockerfile {
  const args = new Map<string, string>();
  const stages: { name: string; base: string; instructions: Instruction[]; line: number }[] = [];
  for (const { line, text: logical } of logicalLines(text)) {
    const match = /^(\w+)\s+([\s\S]*)$/.exec(logical);
    if (!match) throw new Error(`line ${line}: cannot read "${logical}"`);
    const keyword = match[1]!.toUpperCase();
    const rest = match[2]!.trim();
    const current = stages.at(-1);
    if (keyword === 'ARG') {
      const [name, value = ''] = rest.split('=', 2);
      args.set(name!, value);
      continue;
    }
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(substitute(rest, args));
      if (!from) throw new Error(`line ${line}: cannot read FROM ${rest}`);
      stages.push({
        name: from[2] ?? String(stages.length),
        base: from[1]!,
        instructions: [],
        line,
      });
      continue;
    }
    if (!current) throw new Error(`line ${line}: ${keyword} before the first FROM`);
    current.instructions.push(instruction(keyword, rest, line));
  }
  return {
    stages,
    stage(name) {
      const found = stages.find((stage) => stage.name === name);
      if (!found) throw new Error(`the Dockerfile has no stage ${name}`);
      return found;
    },
  };
}

function instruction(keyword: string, rest: string, line: number): Instruction {
  switch (keyword) {
    case 'COPY': {
      const words = rest.split(/\s+/);
      let from: string | undefined;
      while (words[0]?.startsWith('--')) {
        const flag = words.shift()!;
        if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
        else if (!flag.startsWith('--chown=') && !flag.startsWith('--chmod='))
          throw new Error(`line ${line}: COPY ${flag} is not supported here`);
      }
      if (words.length < 2) throw new Error(`line ${line}: COPY needs a source and a destination`);
      return { kind: 'COPY', from, sources: words.slice(0, -1), destination: words.at(-1)!, line };
    }
    case 'ENV':
      return { kind: 'ENV', values: envPairs(rest, line), line };
    case 'WORKDIR':
      return { kind: 'WORKDIR', path: rest, line };
    case 'RUN':
      return { kind: 'RUN', command: rest, line };
    case 'USER':
      return { kind: 'USER', user: rest, line };
    case 'EXPOSE':
      return { kind: 'EXPOSE', ports: rest.split(/\s+/), line };
    case 'ENTRYPOINT':
    case 'CMD':
      return { kind: keyword, command: command(rest), line };
    case 'HEALTHCHECK': {
      const options: Record<string, string> = {};
      let remaining = rest;
      for (;;) {
        const option = /^--([\w-]+)=(\S+)\s+/.exec(remaining);
        if (!option) break;
        options[option[1]!] = option[2]!;
        remaining = remaining.slice(option[0].length);
      }
      if (!remaining.startsWith('CMD ')) throw new Error(`line ${line}: HEALTHCHECK without CMD`);
      return { kind: 'HEALTHCHECK', options, command: command(remaining.slice(4).trim()), line };
    }
    default:
      throw new Error(`line ${line}: instruction ${keyword} is not supported by this reader`);
  }
}

function command(text: string): Command {
  if (!text.startsWith('[')) return { exec: undefined, shell: text };
  const argv = JSON.parse(text) as unknown;
  if (!Array.isArray(argv) || !argv.every((item) => typeof item === 'string'))
    throw new Error(`an exec form must be a JSON array of strings: ${text}`);
  return { exec: argv, shell: undefined };
}

function envPairs(text: string, line: number): Record<string, string> {
  const values: Record<string, string> = {};
  const pair = /\s*([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  // biome-ignore lint/suspicious/noAssignInExpressions: the usual regex loop
  while ((match = pair.exec(text))) {
    const raw = match[2]!;
    values[match[1]!] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    consumed = pair.lastIndex;
  }
  if (text.slice(consumed).trim() !== '')
    throw new Error(`line ${line}: ENV wants KEY=value pairs`);
  return values;
}

function substitute(text: string, args: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced, bare) => {
    const name = (braced ?? bare) as string;
    const value = args.get(name);
    if (value === undefined) throw new Error(`${whole} names no ARG declared before it`);
    return value;
  });
}

/** Instructions one per entry, continuations joined, comments and directives dropped. */
function logicalLines(text: string): { line: number; text: string }[] {
  const result: { line: number; text: string }[] = [];
  let pending: { line: number; text: string } | undefined;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) return;
    if (trimmed === '' && !pending) return;
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending = pending
      ? { line: pending.line, text: `${pending.text} ${part}`.trim() }
      : { line: index + 1, text: part };
    if (!continued) {
      result.push(pending);
      pending = undefined;
    }
  });
  if (pending) result.push(pending);
  return result;
}
