/**
 * `@mcp-mesh/runtime/trust`: registration credentials and caller tokens (see docs/security.md).
 * Loaded only where trust is configured: nothing here runs in an agent without it.
 */
export { type AllowedCallers, callerAllowed } from './allowed-callers.js';
export { CallerGate } from './caller-gate.js';
export {
  type CallerIdentity,
  CallerTokenIssuer,
  CallerTokenVerifier,
} from './caller-tokens.js';
export {
  type CredentialFile,
  CredentialVerifier,
  mintCredential,
  type VerifiedCredential,
} from './credential.js';
export { readCredentialFile } from './credential-file.js';
export { type AgentName, type CredentialGrant, describeGrant, grantCovers } from './grant.js';
export {
  generateSigningKeyPair,
  importSigningKey,
  importTrustedKeys,
  pemFromSetting,
  type TrustedKey,
} from './signing-keys.js';
export { TrustError, type TrustErrorCode, trustErrorCodes } from './trust-error.js';
