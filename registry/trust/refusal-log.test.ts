import { describe, expect, it } from 'vitest';
import { RefusalLog } from './refusal-log.js';

const refusal = {
  agentId: 'weather-1',
  operation: 'POST /heartbeat',
  reason: 'not_permitted',
  message: 'agent id "weather-1" is registered by another holder',
  remote: '10.0.0.9',
};

describe('RefusalLog', () => {
  it('records a refusal once per window, and again after it', () => {
    const log = new RefusalLog();
    expect(log.eventFor(refusal, 0)).toMatchObject({
      eventType: 'refused',
      agentId: 'weather-1',
      data: { operation: 'POST /heartbeat', reason: 'not_permitted', remote: '10.0.0.9' },
    });
    expect(log.eventFor(refusal, 5_000)).toBeUndefined();
    expect(log.eventFor({ ...refusal, remote: '10.0.0.10' }, 5_000)).toBeDefined();
    expect(log.eventFor({ ...refusal, message: 'another reason' }, 5_000)).toBeDefined();
    expect(log.eventFor(refusal, 10_000)).toBeDefined();
  });

  it('keeps stored ids storable: bounded, without NUL', () => {
    const event = new RefusalLog().eventFor({ ...refusal, agentId: `a\u0000${'b'.repeat(400)}` });
    expect(event?.agentId).toHaveLength(256);
    expect(event?.agentId.includes('\u0000')).toBe(false);
  });
});
