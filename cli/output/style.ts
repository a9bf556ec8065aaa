/**
 * Terminal styling. Whether meshctl colours anything — tables, statuses, the `[name]` prefixes
 * of `meshctl start` — is decided by `wantsColor` alone.
 */

export interface Style {
  readonly color: boolean;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  /** An agent or dependency status in its colour: healthy/available green, degraded yellow, the rest red. */
  status(text: string): string;
}

/**
 * Whether to colour what goes to `stream`, in this order:
 * 1. `NO_COLOR` (non-empty, https://no-color.org) or `NODE_DISABLE_COLORS`: no colour;
 * 2. `FORCE_COLOR` (https://force-color.org): `0` or `false` no colour, any other non-empty
 *    value colour even when piped (as Node's `util.styleText` and chalk read it);
 * 3. `TERM=dumb`: no colour;
 * 4. otherwise colour exactly when `stream` is a terminal.
 * NO_COLOR wins over FORCE_COLOR: whoever asked for no colour gets none.
 */
export function wantsColor(
  stream: { readonly isTTY?: boolean } = process.stdout,
  environment: NodeJS.ProcessEnv = process.env,
): boolean {
  if (environment.NO_COLOR) return false;
  if (environment.NODE_DISABLE_COLORS !== undefined) return false;
  const forced = environment.FORCE_COLOR;
  if (forced) return forced !== '0' && forced.toLowerCase() !== 'false';
  if (environment.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function createStyle(color: boolean): Style {
  const paint = (open: number, close: number) => (text: string) =>
    color && text !== '' ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  const green = paint(32, 39);
  const yellow = paint(33, 39);
  const red = paint(31, 39);
  return {
    color,
    bold: paint(1, 22),
    dim: paint(2, 22),
    green,
    yellow,
    red,
    status(text) {
      if (text === 'healthy' || text === 'available' || text === 'resolved') return green(text);
      if (text === 'degraded') return yellow(text);
      return red(text);
    },
  };
}

/** The style for standard output as it is now. */
export function stdoutStyle(): Style {
  return createStyle(wantsColor(process.stdout));
}

/** The style for standard error as it is now. */
export function stderrStyle(): Style {
  return createStyle(wantsColor(process.stderr));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point.
const ansiPattern = /\u001b\[[0-9;]*m/g;

/** `text` without ANSI colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '');
}

/** How many columns `text` takes on a terminal (colour codes take none). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}
