import { Button, Group, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';

import { ApiError } from '../../../lib/api';
import { resendVerification } from '../api/auth.api';

/** Sends a new verification mail to the signed-in user, and says what happened next to the button. */
export function ResendVerificationButton({ size = 'sm' }: { size?: 'xs' | 'sm' }) {
  const resend = useMutation({ mutationFn: resendVerification });
  const problem =
    resend.error instanceof ApiError && resend.error.code === 'RATE_LIMITED'
      ? 'Too many mails asked for. Wait a minute and try again.'
      : resend.error?.message;
  return (
    <Group gap="sm" wrap="wrap">
      <Button
        size={size}
        variant="default"
        onClick={() => resend.mutate()}
        loading={resend.isPending}
        disabled={resend.isSuccess}
      >
        Resend verification mail
      </Button>
      {/* Always in the tree, so the outcome is announced when it appears. */}
      <Text size="sm" role="status" c={resend.isError ? 'red.8' : undefined}>
        {resend.isSuccess ? 'A new mail is on its way. The link in it works for 48 hours.' : (problem ?? '')}
      </Text>
    </Group>
  );
}
