import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useBlocker } from 'react-router';

interface UnsavedChangesGuardProps {
  /** Whether leaving now would lose changes. */
  when: boolean;
  /** Navigations to let through anyway (the editor's own move from /write/new to the post's address). */
  allow?: (pathname: string) => boolean;
  /** Saves the changes; resolves to whether that worked (then the navigation goes on). */
  onSave?: () => Promise<boolean>;
}

/**
 * Asks before unsaved changes are left behind: a dialog for the app's own links (react-router's
 * blocker), the browser's own question when the tab is closed or reloaded (`beforeunload`).
 */
export function UnsavedChangesGuard({ when, allow, onSave }: UnsavedChangesGuardProps) {
  const [saving, setSaving] = useState(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      when && currentLocation.pathname !== nextLocation.pathname && !(allow?.(nextLocation.pathname) ?? false),
  );

  useEffect(() => {
    if (!when) return undefined;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the question only when a value is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [when]);

  const blocked = blocker.state === 'blocked';
  return (
    <Modal
      opened={blocked}
      onClose={() => blocker.reset?.()}
      title="Leave without saving?"
      centered
      closeButtonProps={{ 'aria-label': 'Stay on this page' }}
    >
      <Stack gap="md">
        <Text size="sm">Your latest changes to this post are not saved yet. If you leave now, they are lost.</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
            Stay and keep editing
          </Button>
          <Button color="red.9" onClick={() => blocker.proceed?.()}>
            Leave and lose changes
          </Button>
          {onSave ? (
            <Button
              loading={saving}
              onClick={() => {
                setSaving(true);
                void onSave()
                  .then((saved) => (saved ? blocker.proceed?.() : blocker.reset?.()))
                  .finally(() => setSaving(false));
              }}
            >
              Save and leave
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}
