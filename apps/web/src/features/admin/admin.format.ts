/** "14 Jun 2025, 09:30" in the reader's locale and time zone. */
export const dateTime = (iso: string): string =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** "14 Jun 2025" in the reader's locale and time zone. */
export const dateOnly = (iso: string): string =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(iso));

/** A UTC day of the statistics (`2026-05-01`) as "1 May" (that day, whatever the reader's zone). */
export const statsDay = (day: string): string =>
  new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );

export const count = (n: number, one: string, many = `${one}s`): string =>
  `${new Intl.NumberFormat().format(n)} ${n === 1 ? one : many}`;

/** "comments" → "Comments", "assign-roles" → "Assign roles". */
export const humanise = (word: string): string => {
  const spaced = word
    .replace(/[-_]/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

const ACTING_USER = '${user.id}';

function scalar(value: unknown): string {
  if (value === ACTING_USER) return 'the acting user';
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `“${value}”`;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function field(name: string): string {
  // authorId → "author", userId → "user", id → "the record".
  if (name === 'id') return 'the record';
  return `the ${humanise(name.replace(/Id$/, '')).toLowerCase()}`;
}

const list = (values: unknown) => (Array.isArray(values) ? values.map(scalar).join(', ') : scalar(values));

function clause(name: string, condition: unknown): string {
  const subject = field(name);
  if (condition === null || typeof condition !== 'object') return `${subject} is ${scalar(condition)}`;
  const operators = condition as Record<string, unknown>;
  const parts: string[] = [];
  if ('$eq' in operators) parts.push(`${subject} is ${scalar(operators.$eq)}`);
  if ('$ne' in operators) parts.push(`${subject} is not ${scalar(operators.$ne)}`);
  if ('$in' in operators) parts.push(`${subject} is one of ${list(operators.$in)}`);
  if ('$nin' in operators) parts.push(`${subject} is none of ${list(operators.$nin)}`);
  return parts.join(' and ');
}

/** A grant's conditions (CASL, as the API returns them) in words. */
export type GrantConditions = Readonly<Record<string, unknown>> | null | undefined;

/**
 * A grant's conditions in words: `{ authorId: '${user.id}' }` → "Only where the author is the
 * acting user". `undefined` for an unconditional grant.
 */
export function conditionsInWords(conditions: GrantConditions): string | undefined {
  if (!conditions) return undefined;
  const clauses = Object.entries(conditions).map(([name, condition]) => clause(name, condition));
  if (clauses.length === 0) return undefined;
  return `Only where ${clauses.join(' and ')}`;
}

/** The grant of every permission (`manage` on `all`), as a role lists it: the admin role's one grant. */
export const MANAGE_ALL = 'all:manage';
