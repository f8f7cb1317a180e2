import { keysetCondition } from './list';
import { Paginated } from './pagination';

describe('keysetCondition', () => {
  it('is a row comparison when every key goes one way, so an index on those columns answers it as a range', () => {
    const after = keysetCondition([
      { column: 'p.published_at', direction: 'DESC', value: '2026-01-01T00:00:00.000Z' },
      { column: 'p.id', direction: 'DESC', value: '0190a000-0000-7000-8000-000000000000' },
    ]);
    expect(after.sql).toBe('((p.published_at, p.id) < (:ks0, :ks1))');
    expect(after.params).toEqual({ ks0: '2026-01-01T00:00:00.000Z', ks1: '0190a000-0000-7000-8000-000000000000' });
  });

  it('spells out mixed directions key by key', () => {
    const after = keysetCondition([
      { column: 'u.last_name', direction: 'ASC', value: 'Lovelace' },
      { column: 'u.id', direction: 'DESC', value: 'x' },
    ]);
    expect(after.sql).toBe('((u.last_name > :ks0) OR (u.last_name = :ks0 AND u.id < :ks1))');
  });
});

describe('Paginated', () => {
  it('says when the total is a cap the list reaches rather than its size', () => {
    expect(new Paginated([], 1, 20, 10_000, true).meta).toMatchObject({
      totalItems: 10_000,
      totalItemsCapped: true,
      hasNext: true,
    });
    expect(new Paginated([], 1, 20, 15).meta).not.toHaveProperty('totalItemsCapped');
  });
});
