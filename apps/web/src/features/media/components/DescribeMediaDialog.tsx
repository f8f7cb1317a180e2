import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';

import { FormProblemAlert } from '../../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../../components/ui/notify';
import { type FormProblem, showApiErrors, submitWith, useAppForm } from '../../../lib/forms';
import type { Media } from '../api/media.api';
import { useUpdateMedia } from '../api/media.queries';
import { CAPTION_MAX } from '../media.format';
import classes from '../Media.module.css';
import { AltTextField, altTextError } from './AltTextField';
import { MediaImage } from './MediaImage';

// A type, not an interface: forms take records of fields.
type Values = { altText: string; caption: string };
const FIELD_OF = { altText: 'altText', caption: 'caption' } as const;

interface DescribeMediaDialogProps {
  media: Media | undefined;
  onClose: () => void;
}

/** Alt text and caption of one image (posts that show it are rendered again with them). */
export function DescribeMediaDialog({ media, onClose }: DescribeMediaDialogProps) {
  return (
    <Modal
      opened={media !== undefined}
      onClose={onClose}
      title="Describe the image"
      size="lg"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {media ? <DescribeForm key={media.id} media={media} onDone={onClose} /> : null}
    </Modal>
  );
}

function DescribeForm({ media, onDone }: { media: Media; onDone: () => void }) {
  const update = useUpdateMedia();
  const form = useAppForm<Values>('describe-media', {
    initialValues: { altText: media.altText ?? '', caption: media.caption ?? '' },
    validate: {
      altText: altTextError,
      caption: (value) => (value.length > CAPTION_MAX ? `Use at most ${CAPTION_MAX} characters.` : null),
    },
  });
  const [problem, setProblem] = useState<FormProblem<string>>();

  const onSubmit = submitWith(form, (values) =>
    update.mutate(
      { id: media.id, changes: { altText: values.altText.trim(), caption: values.caption.trim() || null } },
      {
        onSuccess: () => {
          notifySuccess('Image description saved.');
          onDone();
        },
        onError: (error) => setProblem(showApiErrors(form, error, FIELD_OF)),
      },
    ),
  );

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <div className={classes.dialogPreview}>
          <MediaImage image={media} sizes="(max-width: 36em) 90vw, 28rem" alt="" />
        </div>
        <FormProblemAlert title="Could not save the description" error={update.error} problem={problem} />
        <AltTextField {...form.getInputProps('altText')} data-autofocus />
        <Textarea
          label="Caption"
          description="Optional: kept with the image in the library (where and when it was taken, say). Posts show the alt text, not the caption."
          autosize
          minRows={1}
          maxRows={4}
          maxLength={CAPTION_MAX}
          {...form.getInputProps('caption')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save description
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
