import type { ToolMetadata } from '../metadata.js';
import type { AllowedCallers } from './allowed-callers.js';
import { CallerGate, type GuardedTool } from './caller-gate.js';
import {
  CallerTokenIssuer,
  CallerTokenVerifier,
  defaultCallerTokenTimes,
} from './caller-tokens.js';
import { CredentialVerifier } from './credential.js';
import { readCredentialFile } from './credential-file.js';
import { importTrustedKeys, pemFromSetting } from './signing-keys.js';

/** The trust settings of an agent (runtime/config.ts reads them from the environment). */
export interface AgentTrustSettings {
  /** MCP_MESH_TRUST_KEY: the mesh's public key(s), PEM text or a file path; verifies callers. */
  readonly trustKey?: string;
  /** MCP_MESH_CREDENTIAL_FILE: this agent's credential; sent to the registry, signs caller tokens. */
  readonly credentialFile?: string;
  /** MCP_MESH_CALLER_TOKEN_TTL, seconds a caller token lives (default 60). */
  readonly callerTokenTtlSeconds?: number;
}

/** What an agent does with trust on; each part is there only when its setting is. */
export interface AgentTrust {
  /** The bearer credential for the registry. */
  readonly registryCredential?: string;
  /** Signs the caller tokens of calls to `auth_required` tools. */
  readonly callerTokens?: CallerTokenIssuer;
  /** Verifies the caller tokens of calls to this agent's `auth_required` tools. */
  readonly gate?: CallerGate;
}

/**
 * Reads the credential file and the mesh keys (TrustError `bad_configuration` when they cannot
 * be used: the agent does not start half-trusted).
 */
export async function openAgentTrust(
  settings: AgentTrustSettings,
  agent: { readonly agentId: string; readonly name: string; readonly namespace: string },
  tools: readonly ToolMetadata[],
): Promise<AgentTrust> {
  const file =
    settings.credentialFile === undefined ? undefined : readCredentialFile(settings.credentialFile);
  const ttl = settings.callerTokenTtlSeconds ?? defaultCallerTokenTimes.ttlSeconds;
  const callerTokens =
    file === undefined
      ? undefined
      : new CallerTokenIssuer(file, agent, {
          ttlSeconds: ttl,
          renewBeforeSeconds: Math.min(defaultCallerTokenTimes.renewBeforeSeconds, ttl / 4),
        });
  let gate: CallerGate | undefined;
  if (settings.trustKey !== undefined) {
    const keys = await importTrustedKeys(
      pemFromSetting(settings.trustKey, 'MCP_MESH_TRUST_KEY'),
      'MCP_MESH_TRUST_KEY',
    );
    const guarded = new Map<string, GuardedTool>();
    for (const tool of tools) {
      const allowedCallers = tool.kwargs?.allowed_callers as AllowedCallers | undefined;
      if (tool.kwargs?.auth_required !== true && allowedCallers === undefined) continue;
      guarded.set(tool.name, {
        capability: tool.capability,
        ...(allowedCallers === undefined ? {} : { allowedCallers }),
      });
    }
    gate = new CallerGate(new CallerTokenVerifier(new CredentialVerifier(keys)), guarded);
  }
  return {
    ...(file === undefined ? {} : { registryCredential: file.credential }),
    ...(callerTokens === undefined ? {} : { callerTokens }),
    ...(gate === undefined ? {} : { gate }),
  };
}
