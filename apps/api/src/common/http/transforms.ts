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

/** `@Transform(toDecimal)` for decimal query parameters: `12`, `8.5`; anything else stays a string and fails `@IsNumber()`. */
export const toDecimal = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,3}(?:\.\d{1,2})?$/.test(value) ? Number(value) : value;
