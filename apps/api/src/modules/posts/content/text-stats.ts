/**
 * Reading time and reading level of a text. The level is the Flesch–Kincaid grade (a US school
 * grade: 6 reads easily at twelve, 12 at the end of secondary school) from wooorm's maintained
 * `flesch-kincaid` and `syllable` packages; both are ES modules, loaded once with `loadTextStats`.
 */
export interface TextStats {
  words: number;
  /** Minutes at 230 words a minute, at least 1. */
  readingTimeMinutes: number;
  /** Flesch–Kincaid grade, one decimal, between 0 and 18; null for a text without words. */
  readingLevel: number | null;
}

type Syllable = (value: string) => number;
type FleschKincaid = (counts: { sentence: number; word: number; syllable: number }) => number;

const WORDS_PER_MINUTE = 230;
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const SENTENCE_END = /[.!?…]+(?=\s|$)/g;

let libraries: Promise<{ syllable: Syllable; fleschKincaid: FleschKincaid }> | undefined;

/** Loads the ES-module libraries (once); `textStats` needs them. */
export function loadTextStats(): Promise<(text: string) => TextStats> {
  libraries ??= Promise.all([import('syllable'), import('flesch-kincaid')]).then(([s, f]) => ({
    syllable: s.syllable,
    fleschKincaid: f.fleschKincaid,
  }));
  return libraries.then((libs) => (text: string) => measure(text, libs));
}

function measure(text: string, { syllable, fleschKincaid }: { syllable: Syllable; fleschKincaid: FleschKincaid }) {
  const words = text.match(WORD) ?? [];
  const readingTimeMinutes = Math.max(1, Math.ceil(words.length / WORDS_PER_MINUTE));
  if (words.length === 0) return { words: 0, readingTimeMinutes, readingLevel: null };
  const sentences = Math.max(1, (text.match(SENTENCE_END) ?? []).length);
  const syllables = words.reduce((sum, word) => sum + Math.max(1, syllable(word)), 0);
  const grade = fleschKincaid({ sentence: sentences, word: words.length, syllable: syllables });
  const readingLevel = Math.round(Math.min(18, Math.max(0, grade)) * 10) / 10;
  return { words: words.length, readingTimeMinutes, readingLevel };
}
