// The official MCP conformance suite against examples/conformance, as `npm test` runs it: the
// runner starts the agent, runs both protocol eras' server scenarios and exits 0 only when every
// scored scenario passes or fails exactly as its expected-failure entry says.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function runConformance(): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/conformance/run-conformance.ts'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', fail);
    child.once('close', (code) => done({ code, output }));
  });
}

describe('MCP conformance suite', () => {
  it('passes every scored server scenario of 2025-11-25 and 2026-07-28 but the expected failures', {
    timeout: 180_000,
  }, async () => {
    const { code, output } = await runConformance();
    // On failure the runner's table (and the agent's log) is the message.
    expect(code, output).toBe(0);
    expect(output).toMatch(/^conformance: \d+ passed, 0 failed, /m);
    // Both suites ran: a scenario of each is in the table.
    expect(output).toMatch(/^2025-11-25 +tools-call-simple-text +passed/m);
    expect(output).toMatch(/^2026-07-28 +tools-call-simple-text +passed/m);
  });
});
