import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';

import { FormProblemAlert } from '../../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../../components/ui/notify';
import { looksLikeEmail, showApiErrors, splitApiError, submitWith, useAppForm } from '../../../lib/forms';
import { useCreateUser } from '../api/admin.queries';

type Field = 'email' | 'username' | 'firstName' | 'lastName';
const API_FIELDS: Record<string, Field> = {
  email: 'email',
  username: 'username',
  firstName: 'firstName',
  lastName: 'lastName',
};
const USERNAME = /^[a-zA-Z0-9_.-]{3,64}$/;

/** Makes an account; the API mails its owner a link to choose a password. */
export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const form = useAppForm<Record<Field, string>>('create-user', {
    initialValues: { email: '', username: '', firstName: '', lastName: '' },
    validate: ({ email, username }) => ({
      email: looksLikeEmail(email) ? undefined : 'Enter an email address such as ada@example.com.',
      username: USERNAME.test(username.trim())
        ? undefined
        : 'Use 3 to 64 letters, digits, dots, dashes or underscores.',
    }),
  });
  const create = useCreateUser();

  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };

  const onSubmit = submitWith(form, ({ email, username, firstName, lastName }) => {
    if (create.isPending) return;
    create.mutate(
      {
        email: email.trim(),
        username: username.trim(),
        ...(firstName.trim() ? { firstName: firstName.trim() } : {}),
        ...(lastName.trim() ? { lastName: lastName.trim() } : {}),
      },
      {
        onSuccess: (user) => {
          notifySuccess(`${user.username} is invited: a mail to ${user.email} lets them choose a password.`);
          close();
        },
        onError: (error) => showApiErrors(form, error, API_FIELDS),
      },
    );
  });

  const split = create.isError ? splitApiError(create.error, API_FIELDS) : undefined;

  return (
    <Modal opened={opened} onClose={close} title="Invite a user" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={onSubmit} noValidate aria-label="Invite a user">
        <Stack gap="md">
          <Text size="sm">They get a mail with a link to choose their password.</Text>
          <FormProblemAlert title="Could not invite the user" error={create.error} problem={split} />
          <TextInput {...form.getInputProps('email')} label="Email" type="email" required autoComplete="off" />
          <TextInput {...form.getInputProps('username')} label="Username" required autoComplete="off" />
          <TextInput {...form.getInputProps('firstName')} label="First name" autoComplete="off" />
          <TextInput {...form.getInputProps('lastName')} label="Last name" autoComplete="off" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Send the invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
