import { Button, Code, Stack, Text, Title } from '@mantine/core';
import { Link, useLocation } from 'react-router';

import { paths } from '../../app/paths';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Stack gap="md" align="flex-start" py="xl" maw={640}>
      <title>Page not found · Atrium</title>
      <Text fw={700} c="dimmed" size="sm" aria-hidden="true">
        404
      </Text>
      <Title order={1}>Page not found</Title>
      <Text>
        Nothing lives at <Code>{pathname}</Code>. The link may be old, or the address mistyped.
      </Text>
      <Button component={Link} to={paths.home}>
        Back to the home page
      </Button>
    </Stack>
  );
}
