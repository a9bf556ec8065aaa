/** meshctl's exit codes; documented in docs/meshctl.md (rendered by cli/docs/render-reference.ts). */
export const exitCodes = {
  /** The command did what was asked. */
  ok: 0,
  /** The command ran and found a problem: spec errors, generated code out of date. */
  failure: 1,
  /** The command line itself is wrong: unknown command or option, missing argument. */
  usage: 2,
} as const;
