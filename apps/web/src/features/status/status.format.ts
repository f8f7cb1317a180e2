import { DependencyStatus, ReadinessStatus, RuntimeMode } from '@atrium/contracts';
import type { InstanceInfo, ReadinessResponse } from '@atrium/api-client';

import type { StatusTone } from '../../components/ui/StatusBadge';

export type Mode = InstanceInfo['mode'];
/** The per-dependency checks; the API sends them only to operators (READINESS_DETAILS), so they may be absent. */
export type Checks = NonNullable<ReadinessResponse['checks']>;
export type CheckName = keyof Checks;
export type CheckStatus = Checks[CheckName]['status'];

export const CHECK_ORDER: readonly CheckName[] = ['database', 'redis', 'queues', 'disk'];

export const checkTitle: Record<CheckName, string> = {
  database: 'Database',
  redis: 'Redis',
  queues: 'Job queues',
  disk: 'Disk',
};

export const checkPurpose: Record<CheckName, string> = {
  database: 'PostgreSQL: posts, users and everything else',
  redis: 'Cache and rate limits shared by every replica',
  queues: 'Background jobs such as outgoing mail',
  disk: 'Free space for data and uploads',
};

export const modeLabel: Record<Mode, string> = {
  [RuntimeMode.EMBEDDED]: 'Embedded',
  [RuntimeMode.SERVICES]: 'Services',
};

export const modeExplanation: Record<Mode, string> = {
  [RuntimeMode.EMBEDDED]:
    'One process with an in-process PostgreSQL (PGlite) and in-memory cache and jobs — for trying Atrium, development and demos.',
  [RuntimeMode.SERVICES]:
    'External PostgreSQL and Redis shared by every replica — the production setup, ready to scale out.',
};

export function checkStatusLabel(status: CheckStatus): string {
  switch (status) {
    case DependencyStatus.UP:
      return 'Up';
    case DependencyStatus.DOWN:
      return 'Down';
    case DependencyStatus.NOT_CONFIGURED:
      return 'Not configured';
  }
}

export function checkStatusTone(status: CheckStatus): StatusTone {
  switch (status) {
    case DependencyStatus.UP:
      return 'positive';
    case DependencyStatus.DOWN:
      return 'negative';
    case DependencyStatus.NOT_CONFIGURED:
      return 'neutral';
  }
}

export const isReady = (readiness: ReadinessResponse) => readiness.status === ReadinessStatus.READY;

/** Serving, with Redis or the job queues down (rate limits off, background mail delayed). */
export const isDegraded = (readiness: ReadinessResponse) => readiness.status === ReadinessStatus.DEGRADED;

export const downChecks = (checks: Checks | undefined): CheckName[] =>
  checks ? CHECK_ORDER.filter((name) => checks[name].status === DependencyStatus.DOWN) : [];

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export const formatLatency = (ms: number) => `${numberFormat.format(ms)} ms`;
export const formatFreeGb = (gb: number) => `${numberFormat.format(gb)} GB free`;
export const formatCount = (n: number) => new Intl.NumberFormat().format(n);

export const formatDateTime = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));

export const formatTime = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' }).format(new Date(iso));

/** A list read aloud naturally: "Redis", "Database and Redis", "Database, Redis and Disk". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
