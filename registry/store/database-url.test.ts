import { describe, expect, it } from 'vitest';
import {
  DatabaseUrlError,
  databaseTargetFromEnvironment,
  describeDatabaseTarget,
  parseDatabaseUrl,
} from './database-url.js';

const cwd = '/srv/mesh';

describe('parseDatabaseUrl', () => {
  it.each([undefined, '', '   '])('answers the default SQLite file for %j', (url) => {
    expect(parseDatabaseUrl(url, { cwd })).toEqual({
      provider: 'sqlite',
      path: '/srv/mesh/.mesh-state/registry.db',
    });
  });

  it('takes another default SQLite file when asked', () => {
    expect(parseDatabaseUrl(undefined, { cwd, defaultSqlitePath: 'var/state.db' })).toEqual({
      provider: 'sqlite',
      path: '/srv/mesh/var/state.db',
    });
  });

  it.each([
    ['file:./rel.db', '/srv/mesh/rel.db'],
    ['file:rel.db', '/srv/mesh/rel.db'],
    ['file:../up/x.db', '/srv/up/x.db'],
    ['file:/abs/path.db', '/abs/path.db'],
    ['file:///abs/url.db', '/abs/url.db'],
    ['file:///abs/with%20space.db', '/abs/with space.db'],
    ['FILE:/upper.db', '/upper.db'],
  ])('reads %s as the SQLite file %s', (url, path) => {
    expect(parseDatabaseUrl(url, { cwd })).toEqual({ provider: 'sqlite', path });
  });

  it.each([
    'postgres://postgres@127.0.0.1:5432/mesh',
    'postgresql://user:secret@db.example:5432/mesh?sslmode=require',
    'POSTGRES://host/db',
  ])('reads %s as PostgreSQL, keeping the URL', (url) => {
    expect(parseDatabaseUrl(url, { cwd })).toEqual({ provider: 'postgresql', url });
  });

  it('trims surrounding blanks', () => {
    expect(parseDatabaseUrl('  postgres://h/db \n', { cwd })).toEqual({
      provider: 'postgresql',
      url: 'postgres://h/db',
    });
  });

  it.each([
    ['mysql://root@localhost/mesh', /scheme "mysql:" is not supported/],
    ['sqlite:./x.db', /scheme "sqlite:" is not supported/],
    ['./registry.db', /has no scheme/],
    ['file:', /names no file/],
    ['file::memory:', /in-memory databases are not supported/],
    ['file:./x.db?mode=ro', /query parameters/],
    ['postgres://', /not a valid PostgreSQL URL|names no PostgreSQL host/],
  ])('rejects %s clearly', (url, message) => {
    expect(() => parseDatabaseUrl(url, { cwd })).toThrow(message);
    expect(() => parseDatabaseUrl(url, { cwd })).toThrow(DatabaseUrlError);
  });

  it('names every accepted form in its errors', () => {
    expect(() => parseDatabaseUrl('redis://x', { cwd })).toThrow(
      /unset.*file:\.\/relative\.db.*file:\/absolute\/path\.db.*postgres:\/\/.*postgresql:\/\//,
    );
  });
});

describe('databaseTargetFromEnvironment', () => {
  it('reads DATABASE_URL', () => {
    expect(databaseTargetFromEnvironment({ DATABASE_URL: 'file:/a.db' })).toEqual({
      provider: 'sqlite',
      path: '/a.db',
    });
    expect(databaseTargetFromEnvironment({}, { cwd }).provider).toBe('sqlite');
  });
});

describe('describeDatabaseTarget', () => {
  it('hides a PostgreSQL password', () => {
    const target = parseDatabaseUrl('postgres://mesh:hunter2@db:5432/mesh', { cwd });
    expect(describeDatabaseTarget(target)).toBe('postgresql postgres://mesh:***@db:5432/mesh');
  });

  it('shows the SQLite file', () => {
    expect(describeDatabaseTarget(parseDatabaseUrl('file:/a.db', { cwd }))).toBe(
      'sqlite file:/a.db',
    );
  });
});
