import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  type EntityManager,
  type EntityTarget,
  type ObjectLiteral,
  type QueryDeepPartialEntity,
  type Repository,
} from 'typeorm';
import { EntityReader, rawRows } from './entity-reader';
import { EntityWriter } from './entity-writer';

interface TransactionState {
  manager: EntityManager;
  afterCommit: Array<() => Promise<void>>;
}

/**
 * The transaction context repositories join (docs/ARCHITECTURE.md, "Data access"). A use case
 * that writes more than one row runs in `transactions.run(...)`; every repository call inside it,
 * however deep, uses the same transaction without anything being passed down. Work registered
 * with `afterCommit` (domain event delivery) runs once the transaction has committed, and never
 * when it rolled back.
 *
 * One connection per transaction: inside `run`, nothing may wait for a second pooled connection
 * (it deadlocks embedded PGlite, and wastes the pool on Postgres) — which is why repositories
 * take their manager from here instead of from the data source.
 */
@Injectable()
export class Transactions {
  private readonly storage = new AsyncLocalStorage<TransactionState>();
  private readonly logger = new Logger('Transactions');
  private readonly readers = new Map<EntityTarget<ObjectLiteral>, EntityReader<ObjectLiteral>>();
  private readonly writers = new Map<EntityTarget<ObjectLiteral>, EntityWriter<ObjectLiteral>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The current transaction's manager, or the data source's (autocommit) outside one. */
  get manager(): EntityManager {
    return this.storage.getStore()?.manager ?? this.dataSource.manager;
  }

  get active(): boolean {
    return this.storage.getStore() !== undefined;
  }

  /**
   * One whole `entity` by a hand-written `WHERE` over its column names (`$1`… for `params`), in the
   * current transaction if any: what `findOneBy` returns, without the query builder, for reads made
   * on every request (database/entity-reader.ts).
   */
  findOneWhere<E extends ObjectLiteral>(
    entity: EntityTarget<E>,
    where: string,
    params: readonly unknown[],
  ): Promise<E | null> {
    let reader = this.readers.get(entity) as EntityReader<E> | undefined;
    if (!reader) {
      reader = new EntityReader(this.dataSource, entity);
      this.readers.set(entity, reader);
    }
    return reader.one(this.manager, where, params);
  }

  /**
   * The rows of a statement as the driver returns them (no entities), in the current transaction
   * if any, else straight from the pool: for reads that make their own objects (database/entity-reader.ts).
   */
  rawRows(text: string, params: readonly unknown[]): Promise<Array<Record<string, unknown>>> {
    return rawRows(this.dataSource, this.manager, text, params);
  }

  /**
   * Inserts `rows` of `entity` in the current transaction if any, by one statement made without
   * TypeORM's insert builder (database/entity-writer.ts): for the inserts every write makes.
   */
  insert<E extends ObjectLiteral>(entity: EntityTarget<E>, rows: readonly E[]): Promise<void> {
    return this.writer(entity).insert(this.manager, rows);
  }

  /** Inserts one `row` as `insert` does, and sets on it the `returning` columns the database filled. */
  insertReturning<E extends ObjectLiteral>(
    entity: EntityTarget<E>,
    row: E,
    returning: ReadonlyArray<keyof E & string>,
  ): Promise<void> {
    return this.writer(entity).insertReturning(this.manager, row, returning);
  }

  private writer<E extends ObjectLiteral>(entity: EntityTarget<E>): EntityWriter<E> {
    let writer = this.writers.get(entity) as EntityWriter<E> | undefined;
    if (!writer) {
      writer = new EntityWriter(this.dataSource, entity);
      this.writers.set(entity, writer);
    }
    return writer;
  }

  /** A repository for `entity` bound to the current transaction (if any). */
  repository<E extends ObjectLiteral>(entity: EntityTarget<E>): Repository<E> {
    return this.manager.getRepository(entity);
  }

  /** Runs `work` in a transaction, or joins the one already open. After-commit work runs before this resolves. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.storage.getStore()) return work();
    const afterCommit: TransactionState['afterCommit'] = [];
    const result = await this.dataSource.transaction((manager) => this.storage.run({ manager, afterCommit }, work));
    // Outside the transaction's context: after-commit work may open transactions of its own.
    await this.storage.exit(async () => {
      for (const hook of afterCommit) {
        // A committed write stays committed: follow-up work reports its own failures.
        await hook().catch((error: unknown) =>
          this.logger.error(`After-commit work failed: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
    });
    return result;
  }

  /**
   * Serialises the rest of the current transaction with every other one taking the same `key`
   * (a Postgres advisory lock, released at commit or rollback). Use it where a write reads first
   * and decides (a cap, a replace of a set) and two writers at once would collide.
   */
  async lock(key: string): Promise<void> {
    if (!this.active) throw new Error(`Transactions.lock("${key}") outside a transaction would release at once`);
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`atrium:${key}`]);
  }

  /** Runs `hook` after the current transaction commits; outside a transaction, at once. */
  async afterCommit(hook: () => Promise<void>): Promise<void> {
    const state = this.storage.getStore();
    if (state) state.afterCommit.push(hook);
    else await hook();
  }
}

/**
 * An entity instance as `insert()` takes it. TypeORM's deep-partial type rejects `jsonb` columns
 * typed as records; the instance is exactly what the column list describes.
 */
export const insertable = <E>(entity: E): QueryDeepPartialEntity<E> => entity as QueryDeepPartialEntity<E>;
