import { isDateTime } from './date-time';

describe('isDateTime (RFC 3339, as the spec says date-time)', () => {
  it.each([
    '2030-12-24T18:00:00Z',
    '2030-12-24t18:00:00z',
    '2030-12-24T18:00:00.123456789-05:30',
    '2000-02-29T00:00:00Z',
  ])('takes %s', (value) => expect(isDateTime(value)).toBe(true));

  it.each([
    '1900-02-29T00:00:00Z', // not a leap year (divisible by 100)
    '2030-04-31T00:00:00Z',
    '2030-12-24T24:00:00Z',
    '2030-12-24T18:00:60Z',
    '2030-12-24T18:00:00+24:00',
    '2030-12-24T18:00:00',
    '2030-12-24 18:00:00Z',
    ' 2030-12-24T18:00:00Z',
  ])('refuses %s', (value) => expect(isDateTime(value)).toBe(false));

  it('refuses what is not a string', () => {
    expect(isDateTime(Date.parse('2030-12-24T18:00:00Z'))).toBe(false);
    expect(isDateTime(null)).toBe(false);
  });
});
