import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';

import { FormErrorAlert } from '../../../components/ui/FormErrorAlert';
import { AlertIcon } from '../../../components/ui/icons';
import { notifySuccess } from '../../../components/ui/notify';
import { ApiError } from '../../../lib/api';
import type { Media } from '../api/media.api';
import { useDeleteMedia } from '../api/media.queries';
import classes from '../Media.module.css';
import { imageName, isInUse } from '../media.format';
import { MediaImage } from './MediaImage';

interface DeleteMediaDialogProps {
  media: Media | undefined;
  onClose: () => void;
  /** It is gone (its card with it): the page decides where focus goes. */
  onDeleted: () => void;
}

/**
 * Deleting an image. While posts show it the API refuses (409 `MEDIA_IN_USE`): the dialog says
 * what deleting it anyway does to those posts, and offers that as a second, explicit step.
 */
export function DeleteMediaDialog({ media, onClose, onDeleted }: DeleteMediaDialogProps) {
  return (
    <Modal
      opened={media !== undefined}
      onClose={onClose}
      title="Delete this image?"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {media ? <DeleteBody key={media.id} media={media} onClose={onClose} onDeleted={onDeleted} /> : null}
    </Modal>
  );
}

function DeleteBody({ media, onClose, onDeleted }: { media: Media; onClose: () => void; onDeleted: () => void }) {
  const remove = useDeleteMedia();
  const refused = remove.isError && isInUse(remove.error);
  const inUseAlert = useRef<HTMLDivElement>(null);
  // The refusal replaces the first question: focus goes to it, so it is read before "Delete anyway".
  useEffect(() => {
    if (refused) inUseAlert.current?.focus();
  }, [refused]);

  const run = (force: boolean) =>
    remove.mutate(
      { id: media.id, force },
      {
        onSuccess: () => {
          notifySuccess('Image deleted.');
          onDeleted();
        },
      },
    );
  const count = refused ? inUseCount(remove.error) : media.usedBy;

  return (
    <Stack gap="md">
      <div className={classes.dialogPreview}>
        <MediaImage image={media} sizes="(max-width: 36em) 90vw, 24rem" alt="" />
      </div>
      <Text className={classes.wrapAnywhere}>
        The image {imageName(media)} leaves the library, with every size of it. This cannot be undone.
      </Text>
      {refused ? (
        <Alert
          ref={inUseAlert}
          tabIndex={-1}
          color="orange"
          variant="light"
          title="Posts still show this image"
          // Orange text on the orange tint is below 4.5:1; body text on it is not.
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
          icon={<AlertIcon size={20} />}
          role="alert"
        >
          <Stack gap={6}>
            <Text size="sm">
              {count > 0 ? `${count} ${count === 1 ? 'post shows' : 'posts show'}` : 'Posts show'} it in the text or as
              the cover, so it was not deleted.
            </Text>
            <Text size="sm">
              Take it out of those posts first, or delete it anyway: posts that have it as their cover will have none,
              and their text will show a broken image until edited.
            </Text>
          </Stack>
        </Alert>
      ) : remove.isError ? (
        <FormErrorAlert title="Could not delete the image" error={remove.error} />
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose} data-autofocus>
          Keep it
        </Button>
        {refused ? (
          <Button color="red" onClick={() => run(true)} loading={remove.isPending}>
            Delete anyway
          </Button>
        ) : (
          <Button color="red" onClick={() => run(false)} loading={remove.isPending}>
            Delete image
          </Button>
        )}
      </Group>
    </Stack>
  );
}

/** "3 posts show this image…": the count from the refusal's message, else unknown (0). */
function inUseCount(error: unknown): number {
  if (!(error instanceof ApiError)) return 0;
  const found = /^(\d+) post/.exec(error.message);
  return found ? Number(found[1]) : 0;
}
