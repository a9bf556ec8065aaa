import type { ChildProcess } from 'node:child_process';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeshProcesses, mcpClient, until } from '../../../examples/support/local-mesh.js';

// The forecast example: two providers of `forecast` (weather-eu 2.1.0 [eu, fast] and
// weather-us 1.4.0 [us]); the reporter prefers +eu, fails over, and switches back.
describe('forecast example mesh', () => {
  const mesh = new MeshProcesses();
  let weatherEu: ChildProcess;
  let reporter: Client;

  const report = async () =>
    (await reporter.callTool({ name: 'report', arguments: { city: 'Lisbon' } }))
      .structuredContent as { report: string; source?: string };

  beforeAll(async () => {
    await mesh.startRegistry({ DEFAULT_TIMEOUT_THRESHOLD: '3', HEALTH_CHECK_INTERVAL: '0.2' });
    weatherEu = mesh.startAgent('examples/forecast/handlers/weather-eu.ts');
    mesh.startAgent('examples/forecast/handlers/weather-us.ts');
    mesh.startAgent('examples/forecast/handlers/reporter.ts');
    await Promise.all([mesh.endpointOf('weather-eu'), mesh.endpointOf('weather-us')]);
    reporter = await mcpClient(await mesh.endpointOf('reporter'));
    await until('the reporter to use weather-eu', async () =>
      (await report()).source === 'weather-eu' ? true : undefined,
    );
  }, 60_000);

  afterAll(async () => {
    await reporter?.close();
    await mesh.stopAll();
  });

  it('chooses the preferred provider (+eu) while both are up', async () => {
    const answer = await report();
    expect(answer.source).toBe('weather-eu');
    expect(answer.report).toMatch(/^Lisbon, next 3 days — \d{4}-\d{2}-\d{2}: /);
  });

  it('relays a stream across two agents, chunk by chunk', async () => {
    const chunks: { progress: number; total?: number; message?: string }[] = [];
    const result = await reporter.callTool(
      { name: 'live_report', arguments: { station: 'BER' } },
      { onprogress: (progress) => chunks.push(progress) },
    );
    expect(result.structuredContent).toEqual({ chunks: 5 });
    expect(chunks.map((chunk) => chunk.progress)).toEqual([1, 2, 3, 4, 5]);
    expect(chunks[0]?.message).toBe('BER: 14.0 °C');
  });

  it('serves its resource and prompt', async () => {
    const stations = await reporter.readResource({ uri: 'weather://stations' });
    expect(JSON.parse((stations.contents[0] as { text: string }).text)).toHaveLength(2);
    const prompt = await reporter.getPrompt({
      name: 'plan_trip',
      arguments: { city: 'Lisbon', days: '2' },
    });
    expect(JSON.stringify(prompt.messages)).toContain('Plan a 2-day trip to Lisbon.');
  });

  it('fails over to weather-us when weather-eu stops, and switches back when it returns', async () => {
    await mesh.stop(weatherEu);
    await until(
      'fail-over to weather-us',
      async () => ((await report()).source === 'weather-us' ? true : undefined),
      15_000,
    );
    weatherEu = mesh.startAgent('examples/forecast/handlers/weather-eu.ts');
    await until(
      'the switch back to weather-eu',
      async () => ((await report()).source === 'weather-eu' ? true : undefined),
      15_000,
    );
  }, 40_000);
});
