import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { rawRows } from './entity-reader';

/**
 * Rows of one entity written by one `INSERT` made here, without TypeORM's insert builder
 * (decision 106): the entity reader's counterpart, for the few inserts every write makes (a
 * comment, its audit row, its outbox message), not a second way to write.
 *
 * What `insert()` does, it does: the entity's `@BeforeInsert` listeners run on each row (the id);
 * every insertable column is written, through the driver's `preparePersistentValue`; a column a row
 * leaves undefined gets `DEFAULT` (the creation and update times), a version column 1. What it
 * does not: read back the columns the database filled (`RETURNING`) — the callers of the writer
 * use none of them.
 */
export class EntityWriter<E extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  private readonly columns: ColumnMetadata[];
  private readonly head: string;

  constructor(
    private readonly dataSource: DataSource,
    entity: EntityTarget<E>,
  ) {
    this.metadata = dataSource.getMetadata(entity);
    this.columns = this.metadata.columns.filter(
      (column) =>
        column.isInsert && !column.isVirtual && !(column.isGenerated && column.generationStrategy === 'increment'),
    );
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const list = this.columns.map((column) => quote(column.databaseName)).join(', ');
    this.head = `INSERT INTO ${quote(this.metadata.tableName)} (${list}) VALUES `;
  }

  async insert(manager: EntityManager, rows: readonly E[]): Promise<void> {
    if (rows.length === 0) return;
    const { driver } = this.dataSource;
    const params: unknown[] = [];
    const tuples = rows.map((row) => {
      for (const listener of this.metadata.beforeInsertListeners) {
        if (listener.isAllowed(row)) listener.execute(row);
      }
      const values = this.columns.map((column) => {
        let value: unknown = column.getEntityValue(row);
        if (value === undefined && column.isVersion) value = 1;
        if (value === undefined) return 'DEFAULT';
        params.push(driver.preparePersistentValue(value, column));
        return `$${params.length}`;
      });
      return `(${values.join(', ')})`;
    });
    await rawRows(this.dataSource, manager, this.head + tuples.join(', '), params);
  }
}
