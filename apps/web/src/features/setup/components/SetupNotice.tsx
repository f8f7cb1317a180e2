import { Alert, Anchor, Text } from '@mantine/core';
import { Link, Outlet } from 'react-router';

import { paths } from '../../../app/paths';
import { useSetupStatus } from '../api/setup.queries';

/**
 * A layout route for the sign-in and sign-up pages: while the site has no administrator, a note
 * above the page says so and links to first-run setup. Nothing is shown while the answer is on its
 * way or when it could not be had: the page below works either way.
 */
export function SetupNotice() {
  const { data } = useSetupStatus();
  return (
    <>
      {data?.required ? (
        <Alert variant="light" color="blue" title="This site has no administrator yet" maw={480} mx="auto" mb="md">
          <Text size="sm">
            {data.codeRequired
              ? 'If you run it, set it up with the code from the server log. '
              : 'If you run it, set it up first. '}
            <Anchor component={Link} to={paths.setup} size="sm">
              Set up this site
            </Anchor>
          </Text>
        </Alert>
      ) : null}
      <Outlet />
    </>
  );
}
