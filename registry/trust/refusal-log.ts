import type { RegistryEvent } from '../persistence/registry-store.js';

// An impostor retrying in a loop must not push the real history out of the capped event log:
// the same refusal (same remote, operation, agent and message) is recorded once per window.
const windowMs = 10_000;
const rememberedLimit = 10_000;

/** Decides which refusals become `refused` events. */
export class RefusalLog {
  private readonly lastRecorded = new Map<string, number>();

  /** The event to record for this refusal, or undefined when an identical one was just recorded. */
  eventFor(
    refusal: {
      readonly agentId: string;
      readonly operation: string;
      readonly reason: string;
      readonly message: string;
      readonly remote: string;
      readonly holder?: string;
    },
    now = Date.now(),
  ): RegistryEvent | undefined {
    const key = `${refusal.remote}\n${refusal.operation}\n${refusal.agentId}\n${refusal.message}`;
    const last = this.lastRecorded.get(key);
    if (last !== undefined && now - last < windowMs) return undefined;
    if (this.lastRecorded.size >= rememberedLimit) this.lastRecorded.clear();
    this.lastRecorded.set(key, now);
    return {
      eventType: 'refused',
      // Ids in paths are not validated: keep what is stored within the API's limit, and without
      // the NUL that PostgreSQL cannot store.
      agentId: refusal.agentId.replaceAll('\u0000', '').slice(0, 256),
      data: {
        operation: refusal.operation,
        reason: refusal.reason,
        message: refusal.message,
        remote: refusal.remote,
        ...(refusal.holder === undefined ? {} : { holder: refusal.holder }),
      },
    };
  }
}
