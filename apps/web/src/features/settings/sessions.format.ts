/** The device a session was opened from, named as the "new sign-in" mail names it. */
export { describeDevice } from '@atrium/contracts';

export const formatSessionTime = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
