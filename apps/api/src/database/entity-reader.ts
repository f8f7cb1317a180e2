import type { Pool } from 'pg';
import { type DataSource, type EntityManager, type EntityTarget, type ObjectLiteral, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/**
 * One whole entity read by a hand-written `WHERE`, without TypeORM's query builder (decision 81).
 *
 * The statement's select list — every column `find` would read, under the column's own name — is
 * built once from the entity's metadata; a row becomes the entity through the driver's own
 * hydration of each column (`prepareHydratedValue`: booleans, dates, transformers), so the result
 * is what `findOneBy` returns. Building the query and hydrating through the query builder was a
 * third of the CPU of a public profile and a fifth of `/auth/me` in the benchmark's profiles; this
 * is for the few reads made on every request (the caller's user row), not a second way to query.
 */
export class EntityReader<E extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  private readonly columns: ColumnMetadata[];
  private readonly select: string;

  constructor(
    private readonly dataSource: DataSource,
    entity: EntityTarget<E>,
  ) {
    this.metadata = dataSource.getMetadata(entity);
    if (this.metadata.deleteDateColumn || this.metadata.relations.some((relation) => relation.isEager)) {
      // find() would add a soft-delete filter or a join that this reader does not.
      throw new Error(`EntityReader cannot read ${this.metadata.name}: soft-delete column or eager relation`);
    }
    this.columns = this.metadata.columns.filter((column) => !column.isVirtual && column.isSelect);
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const list = this.columns.map((column) => quote(column.databaseName)).join(', ');
    this.select = `SELECT ${list} FROM ${quote(this.metadata.tableName)}`;
  }

  /** The first row matching `where` (SQL over the table's column names, `$1`… for `params`), or null. */
  async one(manager: EntityManager, where: string, params: readonly unknown[]): Promise<E | null> {
    const rows = await rawRows(this.dataSource, manager, `${this.select} WHERE ${where} LIMIT 1`, [...params]);
    return rows.length === 0 ? null : this.hydrate(rows[0]);
  }

  private hydrate(row: Record<string, unknown>): E {
    const entity = this.metadata.create(undefined, { fromDeserializer: true }) as E;
    const driver = this.dataSource.driver;
    for (const column of this.columns) {
      const value = row[column.databaseName];
      if (value !== undefined) column.setEntityValue(entity, driver.prepareHydratedValue(value, column));
    }
    return entity;
  }
}

/**
 * The rows of one statement as `pg` returns them. In a transaction, through its manager (its
 * connection). Outside one, straight to the pool: TypeORM's `query` would take a query runner for
 * the one statement (acquire, two broadcasts, release), a dozen promises a read; its errors are
 * TypeORM's all the same (decision 97).
 */
export async function rawRows(
  dataSource: DataSource,
  manager: EntityManager,
  text: string,
  params: readonly unknown[],
): Promise<Array<Record<string, unknown>>> {
  if (manager !== dataSource.manager) return manager.query<Array<Record<string, unknown>>>(text, [...params]);
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  try {
    return (await pool.query<Record<string, unknown>>(text, [...params])).rows;
  } catch (error) {
    throw new QueryFailedError(text, [...params], error as Error);
  }
}
