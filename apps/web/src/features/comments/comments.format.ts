/**
 * How long after writing it an author may edit a comment: the API's COMMENT_EDIT_WINDOW_MINUTES,
 * 15 unless the operator changed it (docs/API.md, "Comments"). The API does not tell clients the
 * value (nor a comment's end of window), so this is a hint for showing "Edit": the API decides,
 * and a `409 EDIT_WINDOW_CLOSED` is shown at the field and hides the button.
 */
export const EDIT_WINDOW_MINUTES = 15;

/** Replies nest five levels deep (depth 0–4): a comment at depth 4 takes no reply (409 TOO_DEEP). */
export const MAX_DEPTH = 4;

/** The most a comment may hold (CreateCommentDto.body). */
export const COMMENT_MAX_LENGTH = 5000;

/** When the edit window of a comment written at `createdAt` closes. */
export const editableUntil = (createdAt: string): Date =>
  new Date(new Date(createdAt).getTime() + EDIT_WINDOW_MINUTES * 60_000);

/** "14 Jun 2025, 09:30" (the reader's locale and time zone); the machine-readable one goes in <time dateTime>. */
export const commentTime = (iso: string): string =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** "09:42": the end of an edit window, today. */
export const clockTime = (date: Date): string =>
  new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(date);

/** "1 comment", "3 comments". */
export const commentCount = (count: number): string => `${count} ${count === 1 ? 'comment' : 'comments'}`;
