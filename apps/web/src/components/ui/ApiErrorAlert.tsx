import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';

import { ApiError } from '../../lib/api';
import { AlertIcon, RefreshIcon } from './icons';

interface ApiErrorAlertProps {
  title: string;
  error: unknown;
  onRetry: () => void;
  retrying?: boolean;
}

/** A failed API call, with what the server said, the id to quote to an operator, and a way to try again. */
export function ApiErrorAlert({ title, error, onRetry, retrying = false }: ApiErrorAlertProps) {
  const apiError = error instanceof ApiError ? error : undefined;
  const message = error instanceof Error ? error.message : 'Something unexpected went wrong.';

  return (
    <Alert color="red" variant="light" title={title} icon={<AlertIcon size={20} />} role="alert">
      <Stack gap="xs">
        <Text size="sm">{message}</Text>
        {apiError?.requestId ? (
          <Text size="sm">
            Request ID: <Code>{apiError.requestId}</Code>
          </Text>
        ) : null}
        {apiError?.httpStatus ? (
          <Text size="sm" c="dimmed">
            {apiError.code} · HTTP {apiError.httpStatus}
          </Text>
        ) : null}
        <Group>
          <Button
            size="xs"
            variant="filled"
            color="red"
            leftSection={<RefreshIcon size={14} />}
            onClick={onRetry}
            loading={retrying}
          >
            Retry
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
