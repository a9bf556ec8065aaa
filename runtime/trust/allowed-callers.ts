import type { CallerIdentity } from './caller-tokens.js';

/**
 * A tool's `allowed_callers` kwarg (spec): which agents may call it. Each list given must hold
 * the caller (its name, its namespace, one of its credential's tags); a list left out does not
 * restrict. No kwarg: any caller with a valid token.
 */
export interface AllowedCallers {
  readonly agents?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly tags?: readonly string[];
}

/** Whether `caller` passes `allowed`. */
export function callerAllowed(
  allowed: AllowedCallers | undefined,
  caller: CallerIdentity,
): boolean {
  if (allowed === undefined) return true;
  return (
    (allowed.agents === undefined || allowed.agents.includes(caller.name)) &&
    (allowed.namespaces === undefined || allowed.namespaces.includes(caller.namespace)) &&
    (allowed.tags === undefined || allowed.tags.some((tag) => caller.tags.includes(tag)))
  );
}
