import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { keepJsonText } from './json-text.js';

async function appKeepingText() {
  const app = Fastify();
  keepJsonText(app);
  app.post('/', async (request) => ({ text: request.jsonText, body: request.body }));
  await app.ready();
  return app;
}

const post = (payload: string, contentType = 'application/json') => ({
  method: 'POST' as const,
  url: '/',
  payload,
  headers: { 'content-type': contentType },
});

describe('keepJsonText', () => {
  it('keeps the text of a JSON body as received, and parses it', async () => {
    const app = await appKeepingText();
    const text = '{ "agent_id": "a-1",  "tools": [] }';
    const response = await app.inject(post(text, 'application/json; charset=utf-8'));
    expect(response.json()).toEqual({ text, body: { agent_id: 'a-1', tools: [] } });
  });

  it('refuses what fastify refuses: invalid JSON, an empty body, prototype poisoning', async () => {
    const app = await appKeepingText();
    for (const payload of ['{"a":', '', '{"__proto__":{"polluted":true}}']) {
      expect((await app.inject(post(payload))).statusCode).toBe(400);
    }
  });
});
