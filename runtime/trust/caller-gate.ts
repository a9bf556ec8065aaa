import type { AllowedCallers } from './allowed-callers.js';
import { callerAllowed } from './allowed-callers.js';
import type { CallerIdentity, CallerTokenVerifier } from './caller-tokens.js';
import { TrustError } from './trust-error.js';

/** What the gate needs of each tool that has `auth_required`. */
export interface GuardedTool {
  readonly capability: string;
  readonly allowedCallers?: AllowedCallers;
}

/**
 * The provider's side of caller identity: a call to an `auth_required` tool must carry
 * `Authorization: Bearer <caller token>` made for the tool's capability by a caller the tool's
 * `allowed_callers` accepts.
 */
export class CallerGate {
  constructor(
    private readonly verifier: CallerTokenVerifier,
    private readonly tools: ReadonlyMap<string, GuardedTool>,
  ) {}

  /** Whether `tool` needs a caller token at all. */
  guards(tool: string): boolean {
    return this.tools.has(tool);
  }

  /** The caller of `tool`, or a TrustError that says why the call is refused. */
  async admit(tool: string, authorization: string | undefined): Promise<CallerIdentity> {
    const guarded = this.tools.get(tool);
    if (guarded === undefined) throw new Error(`tool "${tool}" is not guarded`);
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    if (token === undefined) {
      throw new TrustError(
        'missing_credential',
        `tool "${tool}" requires a caller token: call it from a mesh agent that has MCP_MESH_CREDENTIAL_FILE (it sends "Authorization: Bearer <caller token>")`,
      );
    }
    const caller = await this.verifier.verify(token, guarded.capability);
    if (!callerAllowed(guarded.allowedCallers, caller)) {
      throw new TrustError(
        'not_permitted',
        `tool "${tool}" does not accept calls from agent "${caller.name}" (namespace "${caller.namespace}"); see its allowed_callers`,
      );
    }
    return caller;
  }
}
