import { describe, expect, it } from 'vitest';
import { camelCaseName, kebabCase, pascalCase } from './names.js';

describe('pascalCase', () => {
  it.each([
    ['get_current_date', 'GetCurrentDate'],
    ['get-weather', 'GetWeather'],
    ['date_service', 'DateService'],
    ['unit-converter', 'UnitConverter'],
    ['UtilityBox', 'UtilityBox'],
    ['greet', 'Greet'],
    ['a', 'A'],
    ['x2_y3', 'X2Y3'],
    ['lookup_v2', 'LookupV2'],
    ['cache-', 'Cache'],
    ['double__under--dash', 'DoubleUnderDash'],
    ['camelCase_mixed', 'CamelCaseMixed'],
  ])('%s → %s', (name, expected) => {
    expect(pascalCase(name)).toBe(expected);
  });
});

describe('camelCaseName', () => {
  it.each([
    ['get_current_date', 'getCurrentDate'],
    ['date_service', 'dateService'],
    ['unit-converter', 'unitConverter'],
    ['UtilityBox', 'utilityBox'],
    ['weather-station', 'weatherStation'],
    ['a', 'a'],
    ['A', 'a'],
    ['geo_lookup', 'geoLookup'],
  ])('%s → %s', (name, expected) => {
    expect(camelCaseName(name)).toBe(expected);
  });
});

describe('kebabCase', () => {
  it.each([
    ['date_service', 'date-service'],
    ['DateService', 'date-service'],
    ['dateService', 'date-service'],
    ['weather-station', 'weather-station'],
    ['UtilityBox', 'utility-box'],
    ['get_current_date', 'get-current-date'],
    ['lookupV2', 'lookup-v2'],
    ['v2Lookup', 'v2-lookup'],
    ['cache-', 'cache'],
    ['_leading__and--trailing_', 'leading-and-trailing'],
    ['greeter', 'greeter'],
  ])('%s → %s', (name, expected) => {
    expect(kebabCase(name)).toBe(expected);
  });

  it('is a valid file name stem for every spec name', () => {
    for (const name of ['A', 'a-b_c', 'ABC', 'x9', 'Mixed_Case-name']) {
      expect(kebabCase(name)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});
