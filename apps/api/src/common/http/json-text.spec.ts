import { deepFreeze, jsonTextOf } from './json-text';

describe('jsonTextOf', () => {
  it('serializes a deep-frozen value once, to what JSON.stringify gives', () => {
    const post = deepFreeze({ id: 'p1', tags: [{ slug: 'a' }], author: { id: 'u1', name: null } });
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      const first = jsonTextOf(post);
      const again = jsonTextOf(post);
      expect(first).toBe('{"id":"p1","tags":[{"slug":"a"}],"author":{"id":"u1","name":null}}');
      expect(again).toBe(first);
      expect(stringify).toHaveBeenCalledTimes(1);
      // What it holds is frozen too (and kept: its own text is made once as well).
      expect(Object.isFrozen(post.tags[0])).toBe(true);
      expect(jsonTextOf(post.author)).toBe('{"id":"u1","name":null}');
    } finally {
      stringify.mockRestore();
    }
  });

  it('keeps no text for values that may change', () => {
    const shallow = Object.freeze({ inner: { n: 1 } });
    // Frozen elsewhere: its insides are not known to be frozen, so neither it nor what holds it.
    const holder = deepFreeze({ shallow });
    expect(jsonTextOf({ n: 1 })).toBeUndefined();
    expect(jsonTextOf(shallow)).toBeUndefined();
    expect(jsonTextOf(holder)).toBeUndefined();
    expect(jsonTextOf('text')).toBeUndefined();
    expect(jsonTextOf(null)).toBeUndefined();
    shallow.inner.n = 2;
    expect(JSON.stringify(holder)).toBe('{"shallow":{"inner":{"n":2}}}');
  });
});
