/** `@Transform(trim)`: surrounding whitespace is never part of a name, an address or a search. */
export const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
