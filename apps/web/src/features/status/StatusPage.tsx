import { Card, SimpleGrid, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { useId } from 'react';

import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { useInstanceInfo, useReadiness } from './api/status.queries';
import { InstanceSummary, InstanceSummarySkeleton } from './components/InstanceSummary';
import { ReadinessPanel, ReadinessPanelSkeleton } from './components/ReadinessPanel';

export function StatusPage() {
  const info = useInstanceInfo();
  const readiness = useReadiness();

  return (
    <Stack gap="xl">
      <title>System status · Atrium</title>
      <div>
        <Title order={1}>System status</Title>
        <Text mt={4} maw={720}>
          What this Atrium instance runs and whether it can serve requests right now.
        </Text>
      </div>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <StatusCard title="Instance" busy={info.isPending}>
          {info.isPending ? (
            <>
              <VisuallyHidden>Loading instance details…</VisuallyHidden>
              <InstanceSummarySkeleton />
            </>
          ) : info.isError ? (
            <ApiErrorAlert
              title="Could not load instance details"
              error={info.error}
              onRetry={() => void info.refetch()}
              retrying={info.isFetching}
            />
          ) : (
            <InstanceSummary info={info.data} />
          )}
        </StatusCard>

        <StatusCard title="Readiness" busy={readiness.isPending}>
          {readiness.isPending ? (
            <>
              <VisuallyHidden>Checking readiness…</VisuallyHidden>
              <ReadinessPanelSkeleton />
            </>
          ) : readiness.isError ? (
            <ApiErrorAlert
              title="Could not check readiness"
              error={readiness.error}
              onRetry={() => void readiness.refetch()}
              retrying={readiness.isFetching}
            />
          ) : (
            <ReadinessPanel readiness={readiness.data} />
          )}
        </StatusCard>
      </SimpleGrid>
    </Stack>
  );
}

interface StatusCardProps {
  title: string;
  busy: boolean;
  children: ReactNode;
}

function StatusCard({ title, busy, children }: StatusCardProps) {
  const headingId = useId();
  return (
    <Card component="section" withBorder radius="md" padding="lg" aria-labelledby={headingId} aria-busy={busy}>
      <Title order={2} size="h3" id={headingId} mb="md">
        {title}
      </Title>
      {children}
    </Card>
  );
}
