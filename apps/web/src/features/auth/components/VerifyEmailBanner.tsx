import { Alert, Stack, Text } from '@mantine/core';
import { useLocation } from 'react-router';

import { paths } from '../../../app/paths';
import { AlertIcon } from '../../../components/ui/icons';
import { useAuth } from '../useAuth';
import { ResendVerificationButton } from './ResendVerificationButton';

/** Shown on every page while the signed-in user has not confirmed their email address. */
export function VerifyEmailBanner() {
  const { user } = useAuth();
  const { pathname } = useLocation();
  // The verify-email page says the same with more detail.
  if (!user || user.emailVerified || pathname === paths.verifyEmail) return null;
  return (
    // A region, not an alert: it stays on every page and must not interrupt each time.
    <Alert
      role="region"
      color="yellow"
      variant="light"
      title="Confirm your email address"
      icon={<AlertIcon size={20} />}
      // Yellow text on the yellow tint is below 4.5:1; body text on it is not.
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
      mb="lg"
    >
      <Stack gap="xs">
        <Text size="sm">
          We sent a link to <strong>{user.email}</strong>. Open it to confirm that the address is yours.
        </Text>
        <ResendVerificationButton size="xs" />
      </Stack>
    </Alert>
  );
}
