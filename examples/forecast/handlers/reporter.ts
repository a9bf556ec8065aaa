// The handler bodies of agent reporter. Scaffolded once by mcp-mesh; this file is yours.
import { defineReporter } from '../generated/agents/reporter.js';

export default defineReporter({
  tools: {
    // Prefers the EU provider (+eu); the registry fails over to the US one when it is gone.
    async report({ city }, { forecast }) {
      if (!forecast) return { report: `No forecast provider is available for ${city} right now.` };
      const answer = await forecast.call({ city, days: 3 });
      const days = answer.days
        .map((day) => `${day.date}: ${day.summary}, ${day.high_c} °C`)
        .join('; ');
      return {
        report: `${city}, next ${answer.days.length} days — ${days}.`,
        source: answer.source,
      };
    },
    // Relays the provider's stream chunk by chunk, across the hop, as its own progress.
    async live_report({ station }, { observations }, context) {
      if (!observations) throw new Error('no observations provider is available');
      let chunks = 0;
      for await (const chunk of observations.stream(
        { station, count: 5 },
        { signal: context.signal },
      )) {
        chunks++;
        await context.progress(chunk.progress, chunk.total, chunk.message);
      }
      return { chunks };
    },
  },
  resources: {
    stations() {
      return {
        text: JSON.stringify([
          { id: 'BER', name: 'Berlin' },
          { id: 'LIS', name: 'Lisbon' },
        ]),
        mimeType: 'application/json',
      };
    },
  },
  prompts: {
    plan_trip({ city, days }) {
      return `Plan a ${days ?? '3'}-day trip to ${city}. First read the forecast with the report tool, then suggest what to do on each day given the weather.`;
    },
  },
});
