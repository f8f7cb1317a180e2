import { registerDecorator, ValidationArguments } from 'class-validator';

/**
 * RFC 3339 `date-time`, which is what the spec's `format: date-time` promises: a date, `T`, a
 * time with seconds (fraction optional) and a zone (`Z` or `±hh:mm`). class-validator's ISO-8601
 * checks accept more (a space for the `T`, no seconds, no zone — read in the server's own zone),
 * so a client checked against the spec and the server would disagree about the same request.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.\d{1,9})?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether `value` is an RFC 3339 date-time on a day the calendar has (no 30 February). */
export function isDateTime(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 40) return false;
  const match = RFC3339.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]);
}

/** `@IsDateTime()`: the field is an RFC 3339 date-time with its zone (`2030-12-24T18:00:00+01:00`). */
export function IsDateTime(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDateTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args: ValidationArguments) =>
          `${args.property} must be a date and time with its zone, such as 2030-12-24T18:00:00Z (RFC 3339)`,
      },
      validator: { validate: isDateTime },
    });
}
