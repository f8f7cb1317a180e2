/** Replies nest five levels deep (depth 0–4): a comment at depth 4 takes no reply (409 TOO_DEEP). */
export const MAX_DEPTH = 4;

/** The most a comment may hold (CreateCommentDto.body). */
export const COMMENT_MAX_LENGTH = 5000;

/** "14 Jun 2025, 09:30" (the reader's locale and time zone); the machine-readable one goes in <time dateTime>. */
export const commentTime = (iso: string): string =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** "09:42": the end of an edit window, today. */
export const clockTime = (date: Date): string =>
  new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(date);

/** "1 comment", "3 comments". */
export const commentCount = (count: number): string => `${count} ${count === 1 ? 'comment' : 'comments'}`;
