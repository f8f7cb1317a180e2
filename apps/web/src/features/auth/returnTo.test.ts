import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './returnTo';

describe('safeReturnTo', () => {
  it('keeps paths inside the app', () => {
    expect(safeReturnTo('/settings/sessions?tab=1')).toBe('/settings/sessions?tab=1');
  });

  it('refuses other sites, including through characters URL parsers drop', () => {
    for (const hostile of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\u0000x',
    ]) {
      expect(safeReturnTo(hostile)).toBe('/');
    }
    expect(safeReturnTo(undefined)).toBe('/');
  });
});
