import { Group, Paper, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { useId } from 'react';
import type { ReadinessResponse } from '@atrium/api-client';

import { CheckIcon, CrossIcon } from '../../../components/ui/icons';
import { StatusBadge } from '../../../components/ui/StatusBadge';
import { READINESS_REFRESH_MS } from '../api/status.queries';
import {
  CHECK_ORDER,
  checkStatusLabel,
  checkPurpose,
  checkStatusTone,
  checkTitle,
  downChecks,
  formatFreeGb,
  formatLatency,
  formatTime,
  isDegraded,
  isReady,
  joinNames,
  type CheckName,
  type Checks,
} from '../status.format';
import classes from './ReadinessPanel.module.css';

export function ReadinessPanel({ readiness }: { readiness: ReadinessResponse }) {
  return (
    <Stack gap="md">
      <ReadinessVerdict readiness={readiness} />
      {readiness.checks ? (
        <ChecksList checks={readiness.checks} />
      ) : (
        <Text size="sm" c="dimmed" data-testid="readiness-details-hidden">
          Dependency details are shown to operators only: on the server itself, or with the metrics token.
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Last checked <time dateTime={readiness.timestamp}>{formatTime(readiness.timestamp)}</time> · refreshes every{' '}
        {READINESS_REFRESH_MS / 1000} s
      </Text>
    </Stack>
  );
}

function ReadinessVerdict({ readiness }: { readiness: ReadinessResponse }) {
  const ready = isReady(readiness);
  const degraded = isDegraded(readiness);
  const down = downChecks(readiness.checks).map((name) => checkTitle[name]);
  // Without the details (a visitor who is not an operator) the verdict cannot name what is down.
  const summary = ready
    ? 'Every required dependency answered. This instance can serve requests.'
    : degraded
      ? down.length > 0
        ? `${joinNames(down)} ${down.length === 1 ? 'is' : 'are'} down. This instance still serves requests; rate limits are off and background mail waits until it is back.`
        : 'A supporting service is down. This instance still serves requests; some features may be slower or delayed.'
      : down.length > 0
        ? `${joinNames(down)} ${down.length === 1 ? 'is' : 'are'} down. Requests that need ${down.length === 1 ? 'it' : 'them'} will fail.`
        : readiness.checks
          ? 'This instance is not taking requests (starting or shutting down).'
          : 'This instance cannot serve requests right now.';
  const color = ready ? 'green' : degraded ? 'yellow' : 'red';

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      bg={`var(--mantine-color-${color}-light)`}
      // Announce a change of verdict (e.g. Redis going down) without re-reading the whole table.
      aria-live="polite"
      data-testid="readiness-verdict"
    >
      <Group gap="md" wrap="nowrap" align="flex-start">
        <ThemeIcon color={`${color}.9`} size={36} radius="xl" aria-hidden="true">
          {ready || degraded ? <CheckIcon size={20} stroke={3} /> : <CrossIcon size={20} stroke={3} />}
        </ThemeIcon>
        <div>
          <Text fw={700} size="lg" lh={1.3}>
            {ready ? 'Ready' : degraded ? 'Degraded' : 'Not ready'}
          </Text>
          <Text size="sm">{summary}</Text>
        </div>
      </Group>
    </Paper>
  );
}

function ChecksList({ checks }: { checks: Checks }) {
  return (
    <ul className={classes.checks} aria-label="Dependency checks">
      {CHECK_ORDER.map((name) => (
        <CheckItem key={name} name={name} checks={checks} />
      ))}
    </ul>
  );
}

function CheckItem({ name, checks }: { name: CheckName; checks: Checks }) {
  const nameId = useId();
  const check = checks[name];
  return (
    <li className={classes.check} aria-labelledby={nameId} data-check={name}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <div>
          <Text fw={600} id={nameId}>
            {checkTitle[name]}
          </Text>
          <Text size="xs" c="dimmed">
            {checkPurpose[name]}
          </Text>
        </div>
        <StatusBadge tone={checkStatusTone(check.status)} label={checkStatusLabel(check.status)} mt={2} />
      </Group>
      <CheckDetails name={name} checks={checks} />
    </li>
  );
}

function CheckDetails({ name, checks }: { name: CheckName; checks: Checks }) {
  const lines: string[] = [];
  if (name === 'disk') {
    // Never the server's data path: this page is public.
    lines.push(formatFreeGb(checks.disk.freeGb));
  } else {
    const check = checks[name];
    if (check.latencyMs !== undefined) lines.push(`Answered in ${formatLatency(check.latencyMs)}`);
    if (check.error) lines.push(check.error);
    if (name === 'database' && (checks.database.pendingMigrations ?? 0) > 0) {
      const pending = checks.database.pendingMigrations ?? 0;
      lines.push(`${pending} pending ${pending === 1 ? 'migration' : 'migrations'}`);
    }
    if (name === 'redis' && check.status === 'not_configured') lines.push('Not used in embedded mode');
  }
  if (lines.length === 0) return null;
  return (
    <Stack gap={0} mt={4}>
      {lines.map((line) => (
        <Text key={line} size="sm" className={classes.detail}>
          {line}
        </Text>
      ))}
    </Stack>
  );
}

export function ReadinessPanelSkeleton() {
  return (
    <Stack gap="md" aria-hidden="true" data-testid="readiness-skeleton">
      <Skeleton height={72} radius="md" />
      {[0, 1, 2].map((row) => (
        <Stack key={row} gap={6}>
          <Group justify="space-between" wrap="nowrap">
            <Skeleton height={14} width="30%" radius="sm" />
            <Skeleton height={20} width="4.5rem" radius="sm" />
          </Group>
          <Skeleton height={10} width="45%" radius="sm" />
          <Skeleton height={12} width="35%" radius="sm" />
        </Stack>
      ))}
    </Stack>
  );
}
