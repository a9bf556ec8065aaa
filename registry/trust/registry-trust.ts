import {
  type AgentName,
  CredentialVerifier,
  describeGrant,
  grantCovers,
  importTrustedKeys,
  pemFromSetting,
  TrustError,
  type VerifiedCredential,
} from '@mcp-mesh/runtime/trust';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RegistryTrustSettings } from '../config.js';
import { RegistryError } from '../errors/registry-error.js';
import type { MeshRegistry } from '../mesh-registry.js';
import { RefusalLog } from './refusal-log.js';

/** What a request asks of its credential. */
type Requirement =
  | { readonly kind: 'register'; readonly agentId: string; readonly agent: AgentName }
  | { readonly kind: 'agent'; readonly agentId: string }
  | { readonly kind: 'admin'; readonly agentId: string };

/**
 * Registration trust: with MCP_MESH_TRUST_KEY set, every write names its holder by a credential
 * (`Authorization: Bearer <credential>`), and only a credential that covers an agent may
 * register, heartbeat or delete it; the proxy (and event reads, when protected) need an admin
 * credential. A refusal is 401/403 with an ErrorResponse, a `refused` event, and nothing changed.
 */
export class RegistryTrust {
  private readonly refusals = new RefusalLog();

  private constructor(
    private readonly verifier: CredentialVerifier,
    private readonly settings: RegistryTrustSettings,
    private readonly registry: MeshRegistry,
  ) {}

  /** Reads the mesh keys; a key that cannot be used stops the registry from starting. */
  static async open(
    settings: RegistryTrustSettings,
    registry: MeshRegistry,
  ): Promise<RegistryTrust> {
    const keys = await importTrustedKeys(
      pemFromSetting(settings.trustKey, 'MCP_MESH_TRUST_KEY'),
      'MCP_MESH_TRUST_KEY',
    );
    return new RegistryTrust(new CredentialVerifier(keys), settings, registry);
  }

  /** Checks every request after its body was validated and before its route runs. */
  install(app: FastifyInstance): void {
    app.addHook('preHandler', async (request) => {
      const requirement = this.requirementOf(request);
      if (requirement !== undefined) await this.enforce(request, requirement);
    });
  }

  private requirementOf(request: FastifyRequest): Requirement | undefined {
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    const agentId = (request.params as { agent_id?: string } | undefined)?.agent_id ?? '';
    switch (route) {
      case 'POST /heartbeat': {
        const body = request.body as { agent_id: string; name?: string; namespace?: string };
        return {
          kind: 'register',
          agentId: body.agent_id,
          agent: { name: body.name ?? body.agent_id, namespace: body.namespace ?? 'default' },
        };
      }
      // An admin credential covers every agent: it may delete another holder's.
      case 'HEAD /heartbeat/:agent_id':
      case 'DELETE /agents/:agent_id':
        return { kind: 'agent', agentId };
      case 'GET /proxy/:agent_id/mcp':
      case 'POST /proxy/:agent_id/mcp':
      case 'DELETE /proxy/:agent_id/mcp':
        return { kind: 'admin', agentId };
      case 'GET /events':
        return this.settings.protectEvents ? { kind: 'admin', agentId: '' } : undefined;
      default:
        return undefined;
    }
  }

  private async enforce(request: FastifyRequest, requirement: Requirement): Promise<void> {
    const operation = `${request.method} ${request.routeOptions.url ?? request.url}`;
    let credential: VerifiedCredential | undefined;
    try {
      credential = await this.verifier.verify(bearerOf(request));
      this.check(credential, requirement);
    } catch (error) {
      if (!(error instanceof TrustError)) throw error;
      const event = this.refusals.eventFor({
        agentId: requirement.agentId,
        operation,
        reason: error.code,
        message: error.message,
        remote: request.ip,
        ...(credential === undefined ? {} : { holder: credential.subject }),
      });
      if (event !== undefined) this.registry.record([event]);
      request.log.warn(
        { operation, agent: requirement.agentId, reason: error.code, remote: request.ip },
        'request refused',
      );
      throw new RegistryError(
        error.httpStatus === 403 ? 'forbidden' : 'unauthorized',
        error.message,
        {
          details: { reason: error.code },
        },
      );
    }
  }

  private check(credential: VerifiedCredential, requirement: Requirement): void {
    const { grant } = credential;
    const holder = `credential "${credential.subject}" (${describeGrant(grant)})`;
    if (requirement.kind === 'admin') {
      if (grant.admin !== true)
        throw new TrustError(
          'not_permitted',
          `${holder} is not an admin credential; this operation needs one (meshctl trust mint --admin)`,
        );
      return;
    }
    if (requirement.kind === 'register' && !grantCovers(grant, requirement.agent)) {
      throw new TrustError(
        'not_permitted',
        `${holder} does not cover agent "${requirement.agent.name}" in namespace "${requirement.agent.namespace}"`,
      );
    }
    const existing = this.registry.topology.get(requirement.agentId)?.registration;
    if (existing === undefined) return;
    if (!grantCovers(grant, existing)) {
      throw new TrustError(
        'not_permitted',
        `agent id "${requirement.agentId}" is registered by another holder (agent "${existing.name}", namespace "${existing.namespace}"); ${holder} does not cover it`,
      );
    }
  }
}

function bearerOf(request: FastifyRequest): string {
  const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
  if (token === undefined) {
    throw new TrustError(
      'missing_credential',
      'this registry requires a credential: send "Authorization: Bearer <credential>" (agents: MCP_MESH_CREDENTIAL_FILE; mint one with "meshctl trust mint")',
    );
  }
  return token;
}
