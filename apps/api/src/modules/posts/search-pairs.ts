/**
 * Word pairs: what makes a phrase search fast on a large table (decision 87).
 *
 * The GIN index over `search_vector` keeps which posts hold a word, not where: for a phrase
 * (`"harbour and the tide"`, or a hyphenated word) Postgres takes every post holding all the
 * words and reads each one back to check their positions. When the words are common that is
 * thousands of rows (2–3 s at 1M posts). A second GIN index, over the pairs of words that stand
 * within PAIR_SPAN positions of each other in a post (`'harbour tide'`), narrows that down to the
 * posts where each pair of the phrase stands close together — then only those are read back.
 *
 * The index is `tsvector_word_pairs(search_vector)` (the migration SearchWordPairs makes the
 * function and the index); this module turns a search's query into the pairs it requires.
 */

/** How far apart (in positions) two words of a pair may stand: a word, then up to two stop words. */
export const PAIR_SPAN = 3;

/** The SQL expression the pairs index is built on (the planner matches it as written). */
export const WORD_PAIRS_SQL = 'tsvector_word_pairs(p.search_vector)';

/** A tsquery lexeme as its text form writes it: quoted, with `''` for a quote and `\\` for a backslash. */
const LEXEME = String.raw`'((?:[^'\\]|''|\\.)*)'`;
const TOKEN = new RegExp(String.raw`\s*(?:${LEXEME}|<(-|\d+)>|(&))`, 'y');

const unquote = (text: string): string => text.replace(/''/g, "'").replace(/\\(.)/g, '$1');
const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * The pairs a post must hold to match `querytree` (the text of Postgres's `querytree()` of the
 * search's tsquery: its negations already left out), as a tsquery's text (`'a b' & 'b c'`), or
 * null when it asks for none. Only a query that is an AND of words and phrases is narrowed: one
 * with `|`, parentheses, prefixes or weights gives null (the words index alone serves it), so the
 * pairs are always a condition every match meets, never one that loses a match.
 */
export function wordPairsQuery(querytree: string): string | null {
  const pairs = new Set<string>();
  /** The current phrase: each lexeme with its position from the phrase's first. */
  let phrase: Array<{ lexeme: string; at: number }> = [];
  let distance: number | null = null;
  const endPhrase = (): void => {
    for (const [i, left] of phrase.entries()) {
      for (const right of phrase.slice(i + 1)) {
        const apart = right.at - left.at;
        if (apart >= 1 && apart <= PAIR_SPAN) pairs.add(`${left.lexeme} ${right.lexeme}`);
      }
    }
    phrase = [];
  };
  TOKEN.lastIndex = 0;
  let expectLexeme = true;
  while (TOKEN.lastIndex < querytree.trimEnd().length) {
    const match = TOKEN.exec(querytree);
    if (!match) return null; // |, !, parentheses, :* or weights: not narrowed
    const [, lexeme, phraseOp, and] = match;
    if (lexeme !== undefined) {
      if (!expectLexeme) return null;
      const at = phrase.length === 0 ? 0 : phrase[phrase.length - 1].at + (distance ?? 0);
      phrase.push({ lexeme: unquote(lexeme), at });
      expectLexeme = false;
    } else {
      if (expectLexeme) return null;
      if (and) endPhrase();
      // `<->` is `<1>`; `<0>` (two words at one position) adds no pair.
      distance = phraseOp === undefined ? null : phraseOp === '-' ? 1 : Number(phraseOp);
      expectLexeme = true;
    }
  }
  if (expectLexeme) return null;
  endPhrase();
  return pairs.size === 0 ? null : [...pairs].map(quote).join(' & ');
}

/** Whether a search's text can hold a phrase (a quoted one, or a hyphenated word), worth asking for its pairs. */
export const mayHoldPhrase = (text: string): boolean => /"|\w-\w/.test(text);
