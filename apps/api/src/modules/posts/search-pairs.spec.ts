import { mayHoldPhrase, wordPairsQuery } from './search-pairs';

describe('word pairs of a search (what a phrase match must hold)', () => {
  it('pairs the words of a phrase that stand within three positions, across stop words', () => {
    // "Harbour and the tide of the gull": two stop words between each pair of words.
    expect(wordPairsQuery(`'harbour' <3> 'tide' <3> 'gull'`)).toBe(`'harbour tide' & 'tide gull'`);
    expect(wordPairsQuery(`'old' <-> 'pier' <-> 'light'`)).toBe(`'old pier' & 'old light' & 'pier light'`);
    // Too far apart for a pair: the phrase asks for nothing the index holds.
    expect(wordPairsQuery(`'harbour' <4> 'tide'`)).toBeNull();
  });

  it('keeps phrases apart (words of different phrases or words alone make no pair)', () => {
    expect(wordPairsQuery(`'north' <-> 'harbour' & 'tide' & 'storm' <2> 'bell'`)).toBe(
      `'north harbour' & 'storm bell'`,
    );
    expect(wordPairsQuery(`'harbour' & 'tide'`)).toBeNull();
    expect(wordPairsQuery(`'harbour'`)).toBeNull();
  });

  it('asks for nothing when the query is not an AND of words and phrases', () => {
    for (const tree of [
      `'north' <-> 'harbour' | 'tide'`,
      `( 'north' <-> 'harbour' ) & 'tide'`,
      `'north' <-> 'harb':*`,
      `'north':A <-> 'harbour'`,
      `!'north' <-> 'harbour'`,
      'T',
      '',
      `'north' <->`,
      `'north' 'harbour'`,
    ]) {
      expect({ tree, pairs: wordPairsQuery(tree) }).toEqual({ tree, pairs: null });
    }
  });

  it('reads quoted lexemes and writes them quoted again', () => {
    expect(wordPairsQuery(`'o''brien' <-> 'back\\\\slash'`)).toBe(`'o''brien back\\\\slash'`);
  });

  it('asks Postgres for a query tree only when the text can hold a phrase', () => {
    expect(mayHoldPhrase('"northern harbour"')).toBe(true);
    expect(mayHoldPhrase('lighthouse-keeper')).toBe(true);
    expect(mayHoldPhrase('harbour -lighthouse')).toBe(false);
    expect(mayHoldPhrase('harbour tide')).toBe(false);
  });
});
