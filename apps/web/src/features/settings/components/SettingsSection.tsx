import { Card, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';

/** A titled card of a settings page: a region named by its heading. */
export function SettingsSection({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <Card component="section" withBorder radius="md" padding="lg" aria-labelledby={headingId}>
      <Title order={2} size="h3" id={headingId} mb="md">
        {title}
      </Title>
      {children}
    </Card>
  );
}
