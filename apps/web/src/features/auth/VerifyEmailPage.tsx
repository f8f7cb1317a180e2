import { Anchor, Button, Text } from '@mantine/core';
import { Link } from 'react-router';

import { paths } from '../../app/paths';
import { FocusHeading } from '../../components/ui/FocusHeading';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { verifyEmail } from './api/auth.api';
import { AuthPageFrame } from './components/AuthPageFrame';
import { ResendVerificationButton } from './components/ResendVerificationButton';
import { useEmailLink } from './useEmailLink';
import { useAuth } from './useAuth';

/**
 * Opened from the link in the verification mail (`/verify-email?token=…`). The token is posted
 * once: it is single use, so a second request (StrictMode, a refocused window) would report a
 * confirmed address as a failure. The query cache keeps the first answer for the page's life.
 */
export function VerifyEmailPage() {
  const { token, query: verification } = useEmailLink('verify-email', verifyEmail);
  const { status } = useAuth();

  if (!token) {
    return (
      <AuthPageFrame documentTitle="Confirm your email address">
        <FocusHeading order={1}>This link is incomplete or damaged</FocusHeading>
        <Text>
          Ask for a new one, or open the link from the mail again: if your mail program split it over two lines, copy
          all of it into the address bar.
        </Text>
        <NextSteps />
      </AuthPageFrame>
    );
  }

  if (verification.isPending) {
    return (
      <AuthPageFrame documentTitle="Confirm your email address">
        <Text role="status">Confirming your email address…</Text>
      </AuthPageFrame>
    );
  }

  if (verification.isError) {
    return (
      <AuthPageFrame documentTitle="Email address not confirmed">
        <FocusHeading order={1}>Your email address was not confirmed</FocusHeading>
        <FormErrorAlert title="The link did not work" error={verification.error} />
        <NextSteps />
      </AuthPageFrame>
    );
  }

  const { alreadyVerified } = verification.data;
  return (
    <AuthPageFrame documentTitle={alreadyVerified ? 'Email address already confirmed' : 'Email address confirmed'}>
      <FocusHeading order={1}>
        {alreadyVerified ? 'Your address is already confirmed' : 'Email address confirmed'}
      </FocusHeading>
      <Text>
        {alreadyVerified
          ? 'It was confirmed before, with this link or another one we sent. There is nothing more to do.'
          : 'Thank you. Your Atrium account is ready.'}
      </Text>
      {status === 'signed-in' ? (
        <Button component={Link} to={paths.home}>
          Continue to Atrium
        </Button>
      ) : (
        <Button component={Link} to={paths.signIn}>
          Sign in
        </Button>
      )}
    </AuthPageFrame>
  );
}

/** Where to go from a link that did not work: a new mail (signed in), or sign in to ask for one. */
function NextSteps() {
  const { status, user } = useAuth();
  if (status !== 'signed-in') {
    return (
      <Text>
        Links expire after 48 hours.{' '}
        <Anchor component={Link} to={paths.signIn}>
          Sign in
        </Anchor>{' '}
        to ask for a new one.
      </Text>
    );
  }
  // Confirmed meanwhile (with another link): nothing to ask for.
  if (user?.emailVerified) {
    return (
      <Button component={Link} to={paths.home}>
        Continue to Atrium
      </Button>
    );
  }
  return <ResendVerificationButton />;
}
