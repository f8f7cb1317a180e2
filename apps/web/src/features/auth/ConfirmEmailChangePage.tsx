import { Anchor, Button, Text } from '@mantine/core';
import { Link } from 'react-router';

import { paths } from '../../app/paths';
import { FocusHeading } from '../../components/ui/FocusHeading';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { confirmEmailChange } from './api/auth.api';
import { AuthPageFrame } from './components/AuthPageFrame';
import { useEmailLink } from './useEmailLink';
import { useAuth } from './useAuth';

/**
 * Opened from the link mailed to the new address of an email change (`/confirm-email?token=…`),
 * signed in or not (it may open in another browser). The token is single use: it is posted once
 * and the answer kept for the page's life, as on the verification page.
 */
export function ConfirmEmailChangePage() {
  const { token, query: confirmation } = useEmailLink('confirm-email-change', confirmEmailChange);
  const { status } = useAuth();

  if (!token) {
    return (
      <AuthPageFrame documentTitle="Confirm your new email address">
        <FocusHeading order={1}>This link is incomplete or damaged</FocusHeading>
        <Text>
          Open the link from the mail again: if your mail program split it over two lines, copy all of it into the
          address bar.
        </Text>
        <NextSteps />
      </AuthPageFrame>
    );
  }

  if (confirmation.isPending) {
    return (
      <AuthPageFrame documentTitle="Confirm your new email address">
        <Text role="status">Confirming your new email address…</Text>
      </AuthPageFrame>
    );
  }

  if (confirmation.isError) {
    return (
      <AuthPageFrame documentTitle="Email address not changed">
        <FocusHeading order={1}>Your email address was not changed</FocusHeading>
        <FormErrorAlert title="The link did not work" error={confirmation.error} />
        <NextSteps />
      </AuthPageFrame>
    );
  }

  return (
    <AuthPageFrame documentTitle="Email address changed">
      <FocusHeading order={1}>Email address changed</FocusHeading>
      <Text>{confirmation.data} From now on, sign in and get mail from Atrium with this address.</Text>
      {status === 'signed-in' ? (
        <Button component={Link} to={paths.settings.account}>
          Back to your account
        </Button>
      ) : (
        <Button component={Link} to={paths.signIn}>
          Sign in
        </Button>
      )}
    </AuthPageFrame>
  );
}

/** A link that did not work: links expire after 24 hours; ask again from the account settings. */
function NextSteps() {
  const { status } = useAuth();
  return (
    <Text>
      Links work once and expire after 24 hours; your address stays as it was.{' '}
      {status === 'signed-in' ? (
        <Anchor component={Link} to={paths.settings.account}>
          Ask again from your account settings.
        </Anchor>
      ) : (
        <>
          <Anchor component={Link} to={paths.signIn}>
            Sign in
          </Anchor>{' '}
          to ask again from your account settings.
        </>
      )}
    </Text>
  );
}
