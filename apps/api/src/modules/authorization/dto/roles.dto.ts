import { ApiProperty, ApiPropertyOptional, type SchemaObject } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  registerDecorator,
} from 'class-validator';
import { PERMISSIONS } from '@atrium/contracts';
import { trim } from '../../../common/http/transforms';
import { Optional } from '../../../common/http/optional';
import { IsDateTime } from '../../../common/http/date-time';

const CONDITION_OPERATORS = new Set(['$eq', '$ne', '$in', '$nin']);
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]{0,40}$/;
/** A condition's value: a string of up to 200 characters, a number, a boolean or null. */
const CONDITION_SCALAR: SchemaObject[] = [
  { type: 'string', maxLength: 200, nullable: true },
  { type: 'number' },
  { type: 'boolean' },
];
const isScalar = (value: unknown): boolean =>
  value === null ||
  (typeof value === 'string' && value.length <= 200) ||
  typeof value === 'number' ||
  typeof value === 'boolean';

/**
 * What a condition may say: field names, each equal to a value or compared with the operators the
 * policy service translates to SQL. `$where`, `$regex` and friends would be code or a CPU sink.
 */
export function conditionsAreSafe(conditions: unknown): boolean {
  if (!conditions || typeof conditions !== 'object' || Array.isArray(conditions)) return false;
  const entries = Object.entries(conditions);
  return (
    entries.length > 0 &&
    entries.length <= 10 &&
    entries.every(([field, value]) => {
      if (!FIELD_NAME.test(field)) return false;
      if (isScalar(value)) return true;
      if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
      return Object.entries(value as Record<string, unknown>).every(([operator, operand]) =>
        !CONDITION_OPERATORS.has(operator)
          ? false
          : operator === '$in' || operator === '$nin'
            ? Array.isArray(operand) && operand.length <= 50 && operand.every(isScalar)
            : isScalar(operand),
      );
    })
  );
}

const IsConditions = (): PropertyDecorator => (target, propertyName) =>
  registerDecorator({
    name: 'isConditions',
    target: target.constructor,
    propertyName: String(propertyName),
    options: {
      message: 'conditions may name fields with a value, or $eq, $ne, $in, $nin of values (at most 10 fields)',
    },
    validator: { validate: conditionsAreSafe },
  });

export class PermissionGrantDto {
  @ApiProperty({ enum: PERMISSIONS, description: '`resource:action` from the catalogue' })
  @IsIn(PERMISSIONS)
  permission: string;

  @ApiPropertyOptional({
    type: 'object',
    // The rule conditionsAreSafe enforces, as a schema: 1–10 fields, each a value or operators.
    minProperties: 1,
    maxProperties: 10,
    // JSON Schema's propertyNames (not an OpenAPI 3.0 keyword; validators such as Ajv apply it).
    ...({ propertyNames: { pattern: FIELD_NAME.source } } as object),
    additionalProperties: {
      anyOf: [
        ...CONDITION_SCALAR,
        {
          type: 'object',
          properties: {
            $eq: { anyOf: CONDITION_SCALAR },
            $ne: { anyOf: CONDITION_SCALAR },
            $in: { type: 'array', maxItems: 50, items: { anyOf: CONDITION_SCALAR } },
            $nin: { type: 'array', maxItems: 50, items: { anyOf: CONDITION_SCALAR } },
          },
          additionalProperties: false,
        },
      ],
    },
    description:
      'CASL conditions on the row\'s fields: a value, or `$eq`/`$ne`/`$in`/`$nin` of values; `${user.id}` stands for the acting user, e.g. `{ "authorId": "${user.id}" }`. Other operators are refused.',
  })
  @Optional()
  @IsObject()
  @IsConditions()
  conditions?: Record<string, unknown>;
}

export class CreateRoleDto {
  @ApiProperty({ example: 'moderator', description: 'Lowercase letters, digits and dashes' })
  @Transform(trim)
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{1,40}$/, { message: 'name must be 2–41 lowercase letters, digits or dashes' })
  name: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiProperty({ minimum: 1, maximum: 99, description: 'Must be below your own highest level' })
  @IsInt()
  @Min(1)
  @Max(99)
  level: number;

  @ApiPropertyOptional({ type: [PermissionGrantDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PermissionGrantDto)
  permissions?: PermissionGrantDto[];
}

export class UpdateRoleDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 99 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(99)
  level?: number;
}

export class SetPermissionsDto {
  @ApiProperty({ type: [PermissionGrantDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PermissionGrantDto)
  permissions: PermissionGrantDto[];
}

export class PermissionDto {
  @ApiProperty({ example: 'comments:moderate' })
  permission: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  conditions: Record<string, unknown> | null;
}

export class RoleDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  description: string;

  @ApiProperty()
  level: number;

  @ApiProperty()
  isSystem: boolean;

  @ApiProperty({ type: [PermissionDto] })
  permissions: PermissionDto[];
}

export class CatalogueEntryDto {
  @ApiProperty({ example: 'posts' })
  resource: string;

  @ApiProperty({ type: [String], example: ['read', 'create'] })
  actions: string[];
}

export class RoleAssignmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  roleId: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'The role ends then (none: until removed)' })
  @Optional()
  @IsDateTime()
  expiresAt?: string;
}

export class SetUserRolesDto {
  @ApiProperty({ type: [RoleAssignmentDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RoleAssignmentDto)
  roles: RoleAssignmentDto[];
}
