/**
 * The registry's dashboard in a real headless Chromium (Debian's, driven by playwright-core): the
 * greeting example runs as processes exporting spans to the registry; the page shows both agents
 * and the edge between them, counts a call on that edge, opens its trace, and turns the provider
 * and its edge unhealthy within 2 s of the provider stopping, without a reload. Screenshots go to
 * test-artifacts/dashboard/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startAgentProcess } from '../runtime/support/agent-process.js';
import { useCleanup } from '../runtime/support/cleanup.js';
import { connectClient, fastAgentEnv, startTestRegistry } from '../runtime/support/mesh.js';
import { unique } from '../support/registry-client.js';
import { repositoryRoot } from '../support/registry-process.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = join(repositoryRoot, 'test-artifacts', 'dashboard');

describe('the dashboard in headless Chromium', { timeout: 90_000 }, () => {
  const cleanup = useCleanup();
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the mesh live: agents, edges, traffic, traces, a provider stopping', async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `no Chromium at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
      );
    }
    mkdirSync(artifacts, { recursive: true });
    const registry = await startTestRegistry(cleanup);
    const env = {
      ...fastAgentEnv,
      MCP_MESH_REGISTRY_URL: registry.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: registry.url,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    };
    const [greeter, clock] = await Promise.all(
      ['greeter', 'clock'].map(async (name) =>
        cleanup.defer(
          await startAgentProcess({
            module: `examples/greeting/handlers/${name}.ts`,
            env: { ...env, MCP_MESH_AGENT_ID: unique(name) },
          }),
          (running) => running.stop(),
        ),
      ),
    );
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${registry.url}/dashboard`);

    // The graph: both agents, the edge greeter → clock, healthy.
    await page.waitForSelector('[data-agent="greeter"][data-status="healthy"]', {
      timeout: 15_000,
    });
    await page.waitForSelector('[data-agent="clock"][data-status="healthy"]');
    const edge = '[data-edge="greeter->clock"]';
    await page.waitForSelector(`${edge}[data-health="healthy"]`, { timeout: 15_000 });
    await page.waitForSelector('#connection.live');
    await page.screenshot({ path: join(artifacts, 'topology.png') });

    // A call shows up in the edge's counts.
    const client = await connectClient(cleanup, greeter!.url);
    const result = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } });
    expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
    await page.waitForSelector(`${edge}[data-calls="1"]`, { timeout: 10_000 });
    expect(await page.textContent(`${edge} .edge-label`)).toContain('1 calls, 0% err');

    // Its trace opens as a call tree.
    const row = page.locator('#traces tbody tr', { hasText: 'tools/call greet' }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await page.waitForSelector('[data-open-trace]');
    await page.waitForSelector('#trace [data-span="tools/call get_current_date"]');
    expect(await page.locator('#trace .row').count()).toBeGreaterThanOrEqual(4);
    await page.click('[data-agent="clock"]');
    await page.waitForSelector('#detail [data-replica]');
    await page.screenshot({ path: join(artifacts, 'traffic-and-trace.png'), fullPage: true });

    // The provider stops: its node and edge turn unhealthy within 2 s, without a reload.
    const url = page.url();
    await clock!.stop();
    await page.waitForSelector('[data-agent="clock"]:not([data-status="healthy"])', {
      timeout: 2_000,
    });
    await page.waitForSelector(`${edge}[data-health="unhealthy"]`, { timeout: 2_000 });
    expect(page.url()).toBe(url);
    expect(await page.textContent('#events')).toMatch(/revision \d+/);
    await page.screenshot({ path: join(artifacts, 'provider-stopped.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
