// Made-up but stable weather: the same city and day always give the same forecast.
const summaries = ['sunny', 'cloudy', 'showers', 'windy', 'clear'];

/** A deterministic forecast of `days` days for a city, starting today (UTC). */
export function forecastFor(city: string, days: number) {
  const seed = [...city].reduce((sum, character) => sum + character.charCodeAt(0), 0);
  return Array.from({ length: days }, (_, index) => {
    const date = new Date(Date.now() + index * 86_400_000).toISOString().slice(0, 10);
    return {
      date,
      high_c: 12 + ((seed + index * 7) % 15),
      summary: summaries[(seed + index) % summaries.length] as string,
    };
  });
}
