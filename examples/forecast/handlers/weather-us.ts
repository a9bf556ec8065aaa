// The handler bodies of agent weather-us. Scaffolded once by mcp-mesh; this file is yours.
import { defineWeatherUs } from '../generated/agents/weather-us.js';
import { forecastFor } from './forecast-data.js';

export default defineWeatherUs({
  tools: {
    get_forecast({ city, days }) {
      return { city, source: 'weather-us', days: forecastFor(city, days ?? 3) };
    },
  },
});
