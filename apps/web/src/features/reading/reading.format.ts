/** "14 June 2025" (in the reader's locale and time zone); the machine-readable date goes in <time dateTime>. */
export const publishedDate = (iso: string): string =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'long' }).format(new Date(iso));

/**
 * Between the parts of a line of facts ("Published 3 May · 2 min read"): a no-break space before the
 * dot keeps it at the end of a line when the line wraps, never at the start of the next one.
 */
export const SEPARATOR = '\u00a0· ';

/** A short fact kept on one line ("1 min read", "14 June 2025"): a wrapped line breaks between facts. */
export const unbroken = (fact: string): string => fact.replace(/ /g, '\u00a0');

/** "4 min read"; a very short post still takes a minute. */
export const readingTime = (minutes: number): string => `${Math.max(1, Math.round(minutes))} min read`;

/** The Flesch–Kincaid grade as a reader understands it: "Reading level: grade 7". */
export const readingLevel = (grade: number): string => `Reading level: grade ${Math.round(grade)}`;

/** The choices of the feed's "Maximum reading level" filter (US school grades, 0–18). */
export const READING_LEVELS: { value: string; label: string }[] = [
  { value: '', label: 'Any level' },
  { value: '6', label: 'Grade 6 or easier' },
  { value: '8', label: 'Grade 8 or easier' },
  { value: '10', label: 'Grade 10 or easier' },
  { value: '12', label: 'Grade 12 or easier' },
  { value: '14', label: 'Grade 14 or easier' },
];

/** "1 view", "1,204 views" (in the reader's locale). */
export const viewCount = (views: number): string =>
  `${new Intl.NumberFormat().format(views)} ${views === 1 ? 'view' : 'views'}`;
