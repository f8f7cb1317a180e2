import { Paper, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

interface AuthPageFrameProps {
  /** The document title, before " · Atrium". */
  documentTitle: string;
  children: ReactNode;
}

/** The narrow card the sign-in, sign-up and email-link pages share. */
export function AuthPageFrame({ documentTitle, children }: AuthPageFrameProps) {
  return (
    <Stack align="center" py={{ base: 'md', sm: 'xl' }}>
      <title>{`${documentTitle} · Atrium`}</title>
      <Paper withBorder radius="md" p={{ base: 'lg', sm: 'xl' }} w="100%" maw={480}>
        <Stack gap="lg">{children}</Stack>
      </Paper>
    </Stack>
  );
}
