import { parsedRange, parsedVersion } from '../resolution/parsed-semver.js';
import type { AgentRegistration } from '../topology/registration.js';

/**
 * What a registration declares that the registry accepted but cannot use: tool versions that
 * are not semver (no range selects them) and dependency ranges it cannot parse (they resolve
 * to nothing). One sentence each, for the registry's log.
 */
export function registrationWarnings(registration: AgentRegistration): string[] {
  const warnings: string[] = [];
  for (const tool of registration.tools) {
    if (parsedVersion(tool.version) === null) {
      warnings.push(
        `tool "${tool.functionName}" has version "${tool.version}", which is not semver: no dependency will resolve to it`,
      );
    }
    for (const [position, dependency] of tool.dependencies.entries()) {
      for (const spec of [dependency, ...(dependency.fallbacks ?? [])]) {
        if (spec.version !== '' && parsedRange(spec.version) === null) {
          warnings.push(
            `dependency ${position} of tool "${tool.functionName}" has the range "${spec.version}", which is not a semver range: it stays unresolved`,
          );
        }
      }
    }
  }
  return warnings;
}
