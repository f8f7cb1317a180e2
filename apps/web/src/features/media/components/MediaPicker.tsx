import { Button, Group, Modal, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';

import { ApiErrorAlert } from '../../../components/ui/ApiErrorAlert';
import { FormProblemAlert } from '../../../components/ui/FormErrorAlert';
import { type FormProblem, showApiErrors, submitWith, useAppForm } from '../../../lib/forms';
import type { Media } from '../api/media.api';
import { useMediaList, useUpdateMedia } from '../api/media.queries';
import classes from '../Media.module.css';
import { imageName } from '../media.format';
import { AltTextField, altTextError } from './AltTextField';
import { MediaImage } from './MediaImage';
import { MediaUploader } from './MediaUploader';

export type PickPurpose = 'insert' | 'cover';

const WORDS: Record<PickPurpose, { title: string; confirm: string }> = {
  insert: { title: 'Insert an image', confirm: 'Insert image' },
  cover: { title: 'Choose a cover image', confirm: 'Use as cover' },
};

interface MediaPickerProps {
  opened: boolean;
  /** Closed without choosing. */
  onClose: () => void;
  /** Chosen, with its alt text (saved on the image when it was new or changed). */
  onPick: (media: Media) => void;
  purpose: PickPurpose;
  /** Mantine's default (back to the opening button); the editor moves focus itself after an insert. */
  returnFocus?: boolean;
}

/**
 * Upload an image or choose one from the library, then say what it shows: the alt text is asked
 * for every time (prefilled when the image has one) and saved on the image, because a post with an
 * image without alt text cannot be published.
 */
export function MediaPicker({ opened, onClose, onPick, purpose, returnFocus = true }: MediaPickerProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={WORDS[purpose].title}
      size="xl"
      returnFocus={returnFocus}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {opened ? <PickerBody purpose={purpose} onPick={onPick} onCancel={onClose} /> : null}
    </Modal>
  );
}

function PickerBody({
  purpose,
  onPick,
  onCancel,
}: {
  purpose: PickPurpose;
  onPick: (media: Media) => void;
  onCancel: () => void;
}) {
  const [chosen, setChosen] = useState<Media>();
  const [page, setPage] = useState(1);
  const chooseHeading = useRef<HTMLHeadingElement>(null);
  const backFrom = useRef(false);

  useEffect(() => {
    if (!chosen && backFrom.current) chooseHeading.current?.focus();
  }, [chosen]);

  if (chosen) {
    return (
      <Describe
        media={chosen}
        purpose={purpose}
        onBack={() => {
          backFrom.current = true;
          setChosen(undefined);
        }}
        onDone={onPick}
      />
    );
  }
  return (
    <Stack gap="lg">
      <Stack component="section" gap="sm" aria-labelledby="picker-upload">
        <Title order={3} size="h5" id="picker-upload">
          Upload a new image
        </Title>
        <MediaUploader onUploaded={setChosen} />
      </Stack>
      <Stack component="section" gap="sm" aria-labelledby="picker-library">
        <Title order={3} size="h5" id="picker-library" ref={chooseHeading} tabIndex={-1} style={{ outline: 'none' }}>
          Or choose one from the library
        </Title>
        <Library page={page} onPage={setPage} onChoose={setChosen} />
      </Stack>
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

function Library({
  page,
  onPage,
  onChoose,
}: {
  page: number;
  onPage: (page: number) => void;
  onChoose: (media: Media) => void;
}) {
  const list = useMediaList(page);
  if (list.isPending) {
    return (
      <>
        <div role="status">
          <VisuallyHidden>Loading the library…</VisuallyHidden>
        </div>
        <div className={classes.pickGrid} aria-hidden="true">
          {Array.from({ length: 4 }, (_, index) => (
            <Skeleton key={index} style={{ aspectRatio: '4 / 3' }} />
          ))}
        </div>
      </>
    );
  }
  if (list.isError) {
    return (
      <ApiErrorAlert
        title="Could not load the library"
        error={list.error}
        onRetry={() => void list.refetch()}
        retrying={list.isFetching}
      />
    );
  }
  const { items, pagination } = list.data;
  if (items.length === 0) {
    return <Text size="sm">The library is empty: upload an image above.</Text>;
  }
  return (
    <Stack gap="sm">
      <ul className={classes.pickGrid} aria-label="Images in the library">
        {items.map((media) => (
          <li key={media.id}>
            <button type="button" className={classes.pick} onClick={() => onChoose(media)}>
              <MediaImage image={media} sizes="(max-width: 36em) 45vw, 10rem" alt="" className={classes.thumb} />
              <Text size="xs" mt={4} lineClamp={2} className={classes.wrapAnywhere}>
                <VisuallyHidden>Choose the image</VisuallyHidden>{' '}
                {media.altText ? media.altText : <em>{imageName(media)}</em>}
              </Text>
            </button>
          </li>
        ))}
      </ul>
      {pagination.totalPages > 1 ? (
        <Group gap="sm" align="center">
          <Button size="xs" variant="default" disabled={!pagination.hasPrev} onClick={() => onPage(page - 1)}>
            Previous page
          </Button>
          <Text size="sm" role="status">
            Page {pagination.page} of {pagination.totalPages}
          </Text>
          <Button size="xs" variant="default" disabled={!pagination.hasNext} onClick={() => onPage(page + 1)}>
            Next page
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

// A type, not an interface: forms take records of fields.
type Values = { altText: string };

function Describe({
  media,
  purpose,
  onBack,
  onDone,
}: {
  media: Media;
  purpose: PickPurpose;
  onBack: () => void;
  onDone: (media: Media) => void;
}) {
  const update = useUpdateMedia();
  const [problem, setProblem] = useState<FormProblem<string>>();
  const field = useRef<HTMLTextAreaElement>(null);
  const form = useAppForm<Values>('pick-media', {
    initialValues: { altText: media.altText ?? '' },
    validate: { altText: altTextError },
  });

  // The step opens on the question it asks.
  useEffect(() => {
    field.current?.focus();
  }, []);

  const onSubmit = submitWith(form, ({ altText }) => {
    const text = altText.trim();
    if (text === media.altText) {
      onDone(media);
      return;
    }
    update.mutate(
      { id: media.id, changes: { altText: text } },
      {
        onSuccess: (saved) => onDone(saved),
        onError: (error) => setProblem(showApiErrors(form, error, { altText: 'altText' })),
      },
    );
  });

  return (
    // Not a <form>: the picker opens from within the editor's form (React carries a submit out of
    // a portal to it). One text field and a button; Enter in a textarea is a new line anyway.
    <div role="group" aria-labelledby="picker-describe">
      <Stack gap="md">
        <Title order={3} size="h5" id="picker-describe">
          Describe the image
        </Title>
        <div className={classes.dialogPreview}>
          <MediaImage image={media} sizes="(max-width: 36em) 90vw, 28rem" alt="" eager />
        </div>
        <FormProblemAlert title="Could not save the alt text" error={update.error} problem={problem} />
        <AltTextField ref={field} {...form.getInputProps('altText')} />
        <Text size="sm" c="dimmed">
          {purpose === 'insert'
            ? 'The image goes in at the cursor, with this text; it is kept on the image for next time too.'
            : 'The cover shows above the post and in lists of posts; this text is kept on the image.'}
        </Text>
        <Group justify="space-between" gap="sm">
          <Button variant="default" onClick={onBack}>
            Back
          </Button>
          <Button onClick={() => onSubmit()} loading={update.isPending}>
            {WORDS[purpose].confirm}
          </Button>
        </Group>
      </Stack>
    </div>
  );
}
