// The handler bodies of agent weather-eu. Scaffolded once by mcp-mesh; this file is yours.
import { defineWeatherEu } from '../generated/agents/weather-eu.js';
import { forecastFor } from './forecast-data.js';

export default defineWeatherEu({
  tools: {
    get_forecast({ city, days }) {
      return { city, source: 'weather-eu', days: forecastFor(city, days ?? 3) };
    },
    // Streams one reading every 50 ms as progress; stops early when the caller cancels.
    async stream_observations({ station, count }, _dependencies, context) {
      const total = count ?? 5;
      let readings = 0;
      for (; readings < total && !context.signal.aborted; readings++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await context.progress(
          readings + 1,
          total,
          `${station}: ${(14 + readings * 0.5).toFixed(1)} °C`,
        );
      }
      return { station, readings };
    },
  },
  resources: {
    station(_uri, { id }) {
      return {
        text: JSON.stringify({ id, name: `Station ${id}`, elevation_m: 120 }),
        mimeType: 'application/json',
      };
    },
  },
});
