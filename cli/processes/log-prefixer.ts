/**
 * Foreground output of `meshctl start`: every line a process writes, prefixed with its name
 * (`[greeter] …`), names padded to one width, each process in its own colour when colour is
 * wanted (`wantsColor` in output/style.ts decides).
 */

/** ANSI foreground colour codes. */
const ansi = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  grey: 90,
} as const;

export type Colour = keyof typeof ansi;

/** Colours for agents, in turn; blue is the registry's and grey meshctl's own. */
const agentColours: readonly Colour[] = ['cyan', 'green', 'yellow', 'magenta', 'red'];

/** The colour of the `index`th agent; the registry and meshctl have fixed ones. */
export function colourFor(kind: 'agent' | 'registry' | 'meshctl', index = 0): Colour {
  if (kind === 'registry') return 'blue';
  if (kind === 'meshctl') return 'grey';
  return agentColours[index % agentColours.length]!;
}

/** `[name]` padded to `width` name characters, coloured when asked. Ends with one space. */
export function formatPrefix(
  name: string,
  options: { readonly width?: number; readonly colour?: Colour | undefined } = {},
): string {
  const label = `[${name}]`;
  const padding = ' '.repeat(Math.max(0, (options.width ?? name.length) - name.length));
  const coloured =
    options.colour === undefined ? label : `\u001b[${ansi[options.colour]}m${label}\u001b[39m`;
  return `${coloured}${padding} `;
}

/**
 * Cuts a stream of text chunks into lines: `push` answers the lines a chunk completed (without
 * their line ending), `flush` the last, unterminated one. CRLF counts as one line ending.
 */
export class LineSplitter {
  private partial = '';

  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines.map(stripCarriageReturn);
  }

  flush(): string[] {
    if (this.partial === '') return [];
    const last = stripCarriageReturn(this.partial);
    this.partial = '';
    return [last];
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
