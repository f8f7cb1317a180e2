import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { Errors } from './errors';
import { Optional } from './optional';
import { toInteger } from './transforms';
import { DEFAULT_PER_PAGE, listEnvelopeResponse, MAX_PAGE, MAX_PER_PAGE, PaginationMetaDto } from './pagination';

/**
 * The list contract (docs/ARCHITECTURE.md, "Lists"): every list takes one query shape —
 * `?page=&perPage=` (offset: counts, page numbers) or `?cursor=&limit=` (keyset: stable under
 * inserts, no COUNT) — and `?sort=-createdAt,username` over the list's whitelist. Services build
 * the page (`Paginated` or `CursorPage`); the envelope puts its meta in `meta.pagination` or `meta.cursor`.
 */
export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1, description: 'Offset pages; not with `cursor`' })
  @Optional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE })
  @Optional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PER_PAGE)
  perPage?: number;

  @ApiPropertyOptional({
    description: 'Keyset paging: `meta.cursor.next` of the previous page (opaque). Starts cursor mode.',
  })
  @Optional()
  @IsString()
  @MaxLength(1024)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a cursor from meta.cursor.next' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PER_PAGE, description: 'Page size in cursor mode' })
  @Optional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PER_PAGE)
  limit?: number;
}

export type SortDirection = 'ASC' | 'DESC';
export interface SortKey<F extends string = string> {
  field: F;
  direction: SortDirection;
}

/** Parses `-publishedAt,title` into sort keys (no field twice). */
export function parseSort<F extends string>(sort: string, fields: readonly F[]): SortKey<F>[] {
  if (!sortPattern(fields).test(sort)) {
    throw Errors.invalidField('sort', `sort takes ${fields.join(', ')} (prefix - for descending)`, 'INVALID_SORT');
  }
  const keys: SortKey<F>[] = [];
  for (const part of sort.split(',')) {
    const field = part.replace(/^[-+]/, '') as F;
    // A field named twice adds nothing: the first mention decides.
    if (!keys.some((key) => key.field === field))
      keys.push({ field, direction: part.startsWith('-') ? 'DESC' : 'ASC' });
  }
  return keys;
}

/** A comma-separated list of the fields, each optionally prefixed `-` (descending) or `+`; the spec's `pattern`. */
export function sortPattern(fields: readonly string[]): RegExp {
  const field = `(?:${fields.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
  return new RegExp(`^[-+]?${field}(?:,[-+]?${field})*$`);
}

/** `@IsSort(['createdAt', 'username'])`: a comma-separated list of those fields, each optionally `-`. */
export function IsSort(fields: readonly string[]): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSort',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [fields],
      options: {
        message: (args: ValidationArguments) => `${args.property} takes ${fields.join(', ')} (prefix - for descending)`,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.length <= 200 && sortPattern(fields).test(value),
      },
    });
}

/** Which paging a list request asked for. */
export type PageRequest =
  | { mode: 'offset'; page: number; perPage: number }
  | { mode: 'cursor'; cursor: Record<string, unknown> | null; limit: number };

/** Reads the paging of a list query; a cursor with page/perPage is refused. */
export function pageRequest(query: ListQueryDto): PageRequest {
  if (query.cursor !== undefined || query.limit !== undefined) {
    if (query.page !== undefined || query.perPage !== undefined) {
      throw Errors.invalidField('cursor', 'Use either page/perPage or cursor/limit', 'MIXED_PAGING');
    }
    return {
      mode: 'cursor',
      cursor: query.cursor ? decodeCursor(query.cursor) : null,
      limit: query.limit ?? DEFAULT_PER_PAGE,
    };
  }
  return { mode: 'offset', page: query.page ?? 1, perPage: query.perPage ?? DEFAULT_PER_PAGE };
}

export function encodeCursor(values: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through to the error below
  }
  throw Errors.invalidField('cursor', 'cursor must be a cursor from meta.cursor.next', 'INVALID_CURSOR');
}

/**
 * The keyset condition "after this row" for sort keys (mixed directions allowed) ending with a
 * unique tie-breaker: `(a > :a) OR (a = :a AND b < :b) OR …`, as SQL with named parameters.
 */
export function keysetCondition(keys: ReadonlyArray<{ column: string; direction: SortDirection; value: unknown }>): {
  sql: string;
  params: Record<string, unknown>;
} {
  const params: Record<string, unknown> = {};
  keys.forEach((k, i) => (params[`ks${i}`] = k.value));
  // One direction throughout: a row comparison, which an index on the same columns answers as a
  // range (the OR form below makes Postgres scan from the start: seconds, a million rows in).
  if (keys.every((k) => k.direction === keys[0].direction)) {
    const op = keys[0].direction === 'ASC' ? '>' : '<';
    return {
      sql: `((${keys.map((k) => k.column).join(', ')}) ${op} (${keys.map((_, i) => `:ks${i}`).join(', ')}))`,
      params,
    };
  }
  const branches = keys.map((key, i) => {
    const equal = keys.slice(0, i).map((k, j) => `${k.column} = :ks${j}`);
    const op = key.direction === 'ASC' ? '>' : '<';
    return `(${[...equal, `${key.column} ${op} :ks${i}`].join(' AND ')})`;
  });
  return { sql: `(${branches.join(' OR ')})`, params };
}

export class CursorMetaDto {
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last' })
  next: string | null;

  @ApiProperty() hasNext: boolean;
}

/** A keyset page: the envelope puts `items` in `data` and `{ next, hasNext }` in `meta.cursor`. */
export class CursorPage<T> {
  constructor(
    readonly items: T[],
    readonly next: string | null,
  ) {}

  get meta(): CursorMetaDto {
    return { next: this.next, hasNext: this.next !== null };
  }
}

/** Swagger schema of a list envelope: `meta.pagination` (offset mode) or `meta.cursor` (cursor mode). */
export const ApiListResponse = (model: Type<unknown>): MethodDecorator =>
  listEnvelopeResponse(
    model,
    'Success (one page: `meta.pagination` with page/perPage, `meta.cursor` with cursor/limit)',
    { pagination: PaginationMetaDto, cursor: CursorMetaDto },
    [],
  );
