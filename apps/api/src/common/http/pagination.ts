import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ResponseMetaDto } from '../dto/envelope.dto';
import { Optional } from './optional';
import { toInteger } from './transforms';

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;
/** Deeper pages are refused (400): an offset that large is a scan, and cursor paging exists for it. */
export const MAX_PAGE = 10_000;

/** `?page=&perPage=`: page from 1, 20 per page by default, at most 100. */
export class PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @Optional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE })
  @Optional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PER_PAGE)
  perPage: number = DEFAULT_PER_PAGE;
}

export class PaginationMetaDto {
  @ApiProperty() page: number;
  @ApiProperty() perPage: number;
  @ApiProperty() totalItems: number;
  @ApiProperty() totalPages: number;
  @ApiProperty() hasNext: boolean;
  @ApiProperty() hasPrev: boolean;
  @ApiPropertyOptional({
    description:
      'Present and true when the list holds more than `totalItems` (large lists count up to a cap, never every row; page on with `cursor`)',
  })
  totalItemsCapped?: boolean;
}

/** A page of results: the envelope puts `items` in `data` and the counts in `meta.pagination`. */
export class Paginated<T> {
  constructor(
    readonly items: T[],
    readonly page: number,
    readonly perPage: number,
    readonly totalItems: number,
    /** `totalItems` is a cap the list reaches, not its size. */
    readonly capped = false,
  ) {}

  get meta(): PaginationMetaDto {
    const totalPages = Math.max(1, Math.ceil(this.totalItems / this.perPage));
    return {
      page: this.page,
      perPage: this.perPage,
      totalItems: this.totalItems,
      totalPages,
      hasNext: this.page < totalPages,
      hasPrev: this.page > 1,
      ...(this.capped ? { totalItemsCapped: true } : {}),
    };
  }
}

/**
 * Swagger schema of a list's success envelope around `model`: `data` is an array, `meta` the
 * request meta plus `extraMeta` (its page information), `required` naming what is always there.
 */
export const listEnvelopeResponse = (
  model: Type<unknown>,
  description: string,
  extraMeta: Record<string, Type<unknown>>,
  required: string[],
): MethodDecorator =>
  applyDecorators(
    ApiExtraModels(ResponseMetaDto, model, ...Object.values(extraMeta)),
    ApiResponse({
      status: 200,
      description,
      schema: {
        type: 'object',
        required: ['status', 'data', 'meta'],
        properties: {
          status: { type: 'string', enum: ['success'] },
          data: { type: 'array', items: { $ref: getSchemaPath(model) } },
          meta: {
            allOf: [
              { $ref: getSchemaPath(ResponseMetaDto) },
              {
                type: 'object',
                ...(required.length > 0 && { required }),
                properties: Object.fromEntries(
                  Object.entries(extraMeta).map(([name, type]) => [name, { $ref: getSchemaPath(type) }]),
                ),
              },
            ],
          },
        },
      },
    }),
  );

/** Swagger schema of a paginated (offset only) success envelope around `model`. */
export const ApiPaginatedResponse = (model: Type<unknown>): MethodDecorator =>
  listEnvelopeResponse(model, 'Success (one page)', { pagination: PaginationMetaDto }, ['pagination']);
