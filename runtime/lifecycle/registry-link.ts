import type { Logger } from 'pino';
import type { RegistrationBody } from './registration-body.js';
import {
  type HeartbeatAnswer,
  type RegistryClient,
  RegistryRequestError,
} from './registry-client.js';
import { backoffDelay, WakeableSleep } from './wakeable-sleep.js';

export interface RegistryLinkOptions {
  readonly client: RegistryClient;
  readonly agentId: string;
  readonly body: RegistrationBody;
  /** Milliseconds between fast heartbeats (`MCP_MESH_HEALTH_INTERVAL`). */
  readonly intervalMs: number;
  readonly logger: Logger;
  /** Called with every full heartbeat's answer: the current resolution of every dependency. */
  readonly onResolution: (answer: HeartbeatAnswer) => void;
}

/**
 * Keeps an agent registered: one full registration, then a fast heartbeat every interval; a
 * full one again when the registry says the topology changed (202) or forgot the agent (410),
 * or the moment the watch stream reports a change. While the registry is unreachable it backs
 * off (1 s doubling to 30 s, with jitter) and the agent keeps serving.
 */
export class RegistryLink {
  private readonly stopping = new AbortController();
  private readonly sleeper = new WakeableSleep();
  private needFullHeartbeat = true;
  private revision: number | undefined;
  private watching = false;
  private reachable: boolean | undefined;
  private loop: Promise<void> | undefined;
  private watchLoop: Promise<void> | undefined;
  private endFirstAttempt!: () => void;
  /**
   * Settles when the first registration has been answered or has failed (an unreachable
   * registry delays nothing beyond that first try), or the link stopped before it.
   */
  readonly firstAttempt = new Promise<void>((resolve) => {
    this.endFirstAttempt = resolve;
  });

  constructor(private readonly options: RegistryLinkOptions) {}

  start(): void {
    this.loop ??= this.heartbeatLoop();
  }

  /** Stops heartbeating and unregisters (bounded: the registry may be gone). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.endFirstAttempt();
    await Promise.allSettled([this.loop, this.watchLoop]);
    await Promise.race([
      this.options.client.unregister(this.options.agentId).catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
    ]);
    await this.options.client.close().catch(() => undefined);
  }

  private async heartbeatLoop(): Promise<void> {
    const { client, agentId, logger } = this.options;
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      try {
        if (this.needFullHeartbeat) {
          const answer = await client.register(this.options.body);
          this.needFullHeartbeat = false;
          if (answer.revision !== undefined) this.revision = answer.revision;
          this.options.onResolution(answer);
          this.startWatching();
        } else {
          const status = await client.heartbeat(agentId);
          if (status === 202 || status === 410) this.needFullHeartbeat = true;
          else if (status !== 200)
            throw new RegistryRequestError(
              `registry answered ${status} to HEAD /heartbeat`,
              status,
            );
        }
        failures = 0;
        this.noteReachable(true);
        this.endFirstAttempt();
        if (!this.needFullHeartbeat)
          await this.sleeper.sleep(this.options.intervalMs, this.stopping.signal);
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.noteReachable(false, error);
        this.endFirstAttempt();
        if (error instanceof RegistryRequestError && error.status === 409) {
          logger.error({ err: error.message }, 'registry refused the registration');
        }
        await this.sleeper.sleep(backoffDelay(failures++), this.stopping.signal);
      }
    }
  }

  private startWatching(): void {
    if (this.watching) return;
    this.watching = true;
    this.watchLoop = (async () => {
      let failures = 0;
      while (!this.stopping.signal.aborted) {
        try {
          await this.options.client.watch(
            this.options.agentId,
            this.revision,
            this.stopping.signal,
            (revision) => {
              this.revision = revision;
              this.needFullHeartbeat = true;
              this.sleeper.wake();
            },
          );
          failures = 0;
        } catch (error) {
          if (this.stopping.signal.aborted) return;
          // A registry without a watch stream (the predecessor's): heartbeats alone will do.
          if (error instanceof RegistryRequestError && error.status === 404) return;
          await new WakeableSleep().sleep(backoffDelay(failures++), this.stopping.signal);
        }
      }
    })();
  }

  // One log line per change of reachability, not one per failed attempt.
  private noteReachable(reachable: boolean, error?: unknown): void {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    if (reachable)
      this.options.logger.info(
        { registry: this.options.client.url },
        'registered with the registry',
      );
    else
      this.options.logger.warn(
        {
          registry: this.options.client.url,
          err: error instanceof Error ? error.message : String(error),
        },
        'registry unreachable; serving on, retrying with backoff',
      );
  }
}
