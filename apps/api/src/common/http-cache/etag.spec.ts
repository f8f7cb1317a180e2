import { ifNoneMatchMatches, weakEtagOf } from './etag';

describe('weakEtagOf', () => {
  it('is a weak tag that follows the data and nothing else', () => {
    const tag = weakEtagOf({ name: 'Ada', bootCount: 3 });
    expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(weakEtagOf({ name: 'Ada', bootCount: 3 })).toBe(tag);
    expect(weakEtagOf({ name: 'Ada', bootCount: 4 })).not.toBe(tag);
    expect(weakEtagOf(undefined)).toBe(weakEtagOf(null));
  });
});

describe('ifNoneMatchMatches', () => {
  const tag = 'W/"abc"';

  it.each([
    ['the same tag', 'W/"abc"'],
    ['its strong form (weak comparison)', '"abc"'],
    ['a list holding it', '"x", W/"abc" , "y"'],
    ['a list without spaces', 'W/"x",W/"abc"'],
    ['*', ' * '],
    ['repeated headers', ['"x"', 'W/"abc"']],
  ])('matches %s', (_case, header) => {
    expect(ifNoneMatchMatches(header, tag)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['another tag', 'W/"abd"'],
    ['a prefix of it', '"ab"'],
    ['an unquoted value', 'abc'],
    ['an empty header', ''],
  ])('does not match %s', (_case, header) => {
    expect(ifNoneMatchMatches(header, tag)).toBe(false);
  });
});
