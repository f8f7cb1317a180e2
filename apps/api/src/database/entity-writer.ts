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
 * does not: read back the columns the database filled, unless asked for some (`RETURNING`, one
 * row at a time): a comment's creation time, for the answer made without reading the row again.
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
    const list = this.columns.map((column) => quote(column.databaseName)).join(', ');
    this.head = `INSERT INTO ${quote(this.metadata.tableName)} (${list}) VALUES `;
  }

  async insert(manager: EntityManager, rows: readonly E[]): Promise<void> {
    if (rows.length === 0) return;
    const { text, params } = this.statement(rows);
    await rawRows(this.dataSource, manager, text, params);
  }

  /** Inserts `row` and sets on it the `returning` properties as the database filled them. */
  async insertReturning(manager: EntityManager, row: E, returning: ReadonlyArray<keyof E & string>): Promise<void> {
    const columns = returning.map((property) => {
      const column = this.metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`${this.metadata.name} has no column ${property}`);
      return column;
    });
    const { text, params } = this.statement([row]);
    const list = columns.map((column) => quote(column.databaseName)).join(', ');
    const [filled] = await rawRows(this.dataSource, manager, `${text} RETURNING ${list}`, params);
    for (const column of columns) {
      column.setEntityValue(row, this.dataSource.driver.prepareHydratedValue(filled[column.databaseName], column));
    }
  }

  private statement(rows: readonly E[]): { text: string; params: unknown[] } {
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
    return { text: this.head + tuples.join(', '), params };
  }
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
