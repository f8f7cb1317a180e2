import { IsOptional, ValidateIf } from 'class-validator';

/**
 * An optional input field. Absent means "leave as is"; `null` is refused unless the field is
 * `nullable` (then `null` clears it). class-validator's own `@IsOptional()` lets `null` through
 * every check, so a non-nullable column could receive it: use this instead in request DTOs.
 */
export function Optional(options: { nullable?: boolean } = {}): PropertyDecorator {
  return options.nullable ? IsOptional() : ValidateIf((_object, value: unknown) => value !== undefined);
}
