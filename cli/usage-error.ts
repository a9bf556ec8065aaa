/**
 * The command line asks for something meshctl cannot do (an unknown format, a malformed
 * argument); meshctl prints the message and exits with `exitCodes.usage`.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
