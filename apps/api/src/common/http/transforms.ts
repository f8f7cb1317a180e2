/** `@Transform(trim)`: surrounding whitespace is never part of a name, an address or a search. */
export const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/**
 * `@Transform(toInteger)` for integer query parameters: only a plain run of digits (optionally
 * signed with `-`) becomes a number; anything else (`+1`, ` 1`, `1e3`, `0x10`) stays a string and
 * fails `@IsInt()`, as the spec's `type: integer` says it should.
 */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
