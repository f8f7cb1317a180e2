import type { StatusTone } from '../../components/ui/StatusBadge';
import type { PostStatus } from './api/writing.api';

/** Each status in words, with the badge's tone (the word carries the meaning). */
export const STATUS: Record<PostStatus, { label: string; plural: string; tone: StatusTone }> = {
  draft: { label: 'Draft', plural: 'Drafts', tone: 'neutral' },
  scheduled: { label: 'Scheduled', plural: 'Scheduled', tone: 'neutral' },
  published: { label: 'Published', plural: 'Published', tone: 'positive' },
  archived: { label: 'Archived', plural: 'Archived', tone: 'neutral' },
};

export const STATUSES: PostStatus[] = ['draft', 'scheduled', 'published', 'archived'];

export const isStatus = (value: string | null): value is PostStatus =>
  value !== null && (STATUSES as string[]).includes(value);

/** "14 June 2025, 09:30" in the writer's locale and time zone. */
export const dateTime = (iso: string): string =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** "09:30:12": when the last save happened. */
export const clockTime = (date: Date): string =>
  new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' }).format(date);

/** The writer's time zone, as the browser knows it ("Europe/Berlin"). */
export const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
