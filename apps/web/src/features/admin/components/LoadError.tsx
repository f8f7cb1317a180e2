import { Alert } from '@mantine/core';

import { ApiErrorAlert } from '../../../components/ui/ApiErrorAlert';
import { AlertIcon } from '../../../components/ui/icons';
import { ApiError } from '../../../lib/api';

interface LoadErrorProps {
  /** "Could not load the users". */
  title: string;
  query: { error: unknown; isFetching: boolean; refetch: () => unknown };
}

/**
 * A list or page that did not load. FORBIDDEN (the roles changed since the page opened, or a grant
 * holds only with conditions) is said as such, without a Retry that would fail the same way;
 * anything else shows what the server said and a way to try again.
 */
export function LoadError({ title, query }: LoadErrorProps) {
  if (query.error instanceof ApiError && query.error.code === 'FORBIDDEN') {
    return (
      <Alert color="gray" variant="light" title="Not open to your account" icon={<AlertIcon size={20} />} role="alert">
        {query.error.message} An administrator can grant the permission this page needs.
      </Alert>
    );
  }
  return (
    <ApiErrorAlert title={title} error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
  );
}
