import { Button, Code, Container, Stack, Text, Title } from '@mantine/core';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

import { paths } from './paths';

/** Last line of defence for a render error inside a route: the shell stays usable. */
export function RouteErrorPage() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : undefined;

  return (
    <Container size="sm" py="xl" component="main">
      <Stack gap="md" align="flex-start">
        <title>Something went wrong · Atrium</title>
        <Title order={1}>Something went wrong</Title>
        <Text>This page failed to display. Reloading usually helps; if it keeps happening, tell an operator.</Text>
        {detail ? <Code block>{detail}</Code> : null}
        <Button component={Link} to={paths.home} reloadDocument>
          Reload the home page
        </Button>
      </Stack>
    </Container>
  );
}
