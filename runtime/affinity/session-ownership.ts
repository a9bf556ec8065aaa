/** Where session ownership is kept right now. */
export type OwnershipBackend = 'redis' | 'memory';

/**
 * Who owns each session of one agent: the replica whose memory holds the session's state.
 * Every operation is atomic, so two replicas racing for one session never both win.
 */
export interface SessionOwnership {
  readonly backend: OwnershipBackend;
  /**
   * Makes `candidate` the owner of `session` unless a live claim exists, and returns the owner.
   * When the owner is `candidate` its claim is refreshed (the TTL counts from the last use).
   */
  claim(session: string, candidate: string): Promise<string>;
  /**
   * Hands `session` to `candidate` only while `formerOwner` still holds it (or nobody does), and
   * returns the owner afterwards: of several replicas taking over from a dead owner, one wins.
   */
  takeOver(session: string, formerOwner: string, candidate: string): Promise<string>;
  close(): Promise<void>;
}
