import { Matches } from 'class-validator';

/** `@Transform(trim)`: surrounding whitespace is never part of a name, an address or a search. */
export const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/**
 * `@Transform(toInteger)` for integer query parameters: only a plain run of digits (optionally
 * signed with `-`) becomes a number; anything else (`+1`, ` 1`, `1e3`, `0x10`) stays a string and
 * fails `@IsInt()`, as the spec's `type: integer` says it should.
 */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;

/** `@Transform(toBoolean)` for boolean query parameters: exactly `true` or `false`; anything else fails `@IsBoolean()`. */
export const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/**
 * `@Transform(toDecimal)` for number query parameters: a number written as JSON writes it (`12`,
 * `-3`, `8.5`, `7.4e-5`) becomes one; anything else (`0x10`, ` 1`, `Infinity`) stays a string and
 * fails `@IsNumber()`.
 */
export const toDecimal = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.length <= 40 && /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(value)
    ? Number(value)
    : value;

/**
 * `@NotBlank()` beside `@Transform(trim)` on a required text: at least one character that is not
 * whitespace. The spec carries it as `pattern: "\S"`, so a client sees that `"   "` — which
 * `minLength: 1` alone would allow — is refused once trimmed.
 */
export const NotBlank = (): PropertyDecorator =>
  Matches(/\S/, { message: ({ property }) => `${property} must not be blank` });
