import Database from 'better-sqlite3';
import type { Statement } from './registration-sql.js';

/**
 * Runs the registry's writes on SQLite through a connection of its own with prepared
 * statements, each batch in one transaction: ~0.2 ms a registration, against ~3 ms through the
 * Prisma client (whose cost is per statement, not in SQLite). Reads stay on Prisma; WAL mode
 * and a busy timeout let the two connections share the file.
 */
export class SqliteWriter {
  private readonly database: Database.Database;
  private readonly prepared = new Map<string, Database.Statement>();
  private readonly runAll: (statements: readonly Statement[]) => number;

  constructor(path: string, busyTimeoutMs = 5_000) {
    this.database = new Database(path, { timeout: busyTimeoutMs });
    this.database.pragma('journal_mode = WAL');
    this.database.pragma('synchronous = NORMAL');
    this.database.pragma('foreign_keys = ON');
    this.runAll = this.database.transaction((statements: readonly Statement[]) => {
      let changes = 0;
      for (const [sql, parameters] of statements)
        changes += this.statement(sql).run(...parameters).changes;
      return changes;
    });
  }

  /** Runs the statements in one transaction; answers the number of rows changed. */
  run(statements: readonly Statement[]): number {
    return this.runAll(statements);
  }

  close(): void {
    this.database.close();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.database.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}
