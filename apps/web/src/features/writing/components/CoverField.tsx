import { Button, Group, Input, Stack, Text } from '@mantine/core';
import { useId, useRef, useState } from 'react';
import { Link } from 'react-router';

import { paths } from '../../../app/paths';
import { notifySuccess } from '../../../components/ui/notify';
import { MediaImage, MediaPicker, type ShownImage } from '../../media';
import classes from '../Writing.module.css';

/** The cover as the editor shows it: the image and its id. */
export type CoverPreview = ShownImage & { id: string };

interface CoverFieldProps {
  /** The chosen image ('' for none): what is saved with the post. */
  value: string;
  /** The image to show for `value` (`undefined` while unknown). */
  preview: CoverPreview | undefined;
  onChange: (cover: CoverPreview | undefined) => void;
  error?: string;
}

/**
 * The post's cover image: chosen from the media library (or uploaded there) with its alt text,
 * shown with that text, changed or removed. Saved with the post, like the other fields.
 */
export function CoverField({ value, preview, onChange, error }: CoverFieldProps) {
  const [picking, setPicking] = useState(false);
  const chooseButton = useRef<HTMLButtonElement>(null);
  const id = useId();
  const shown = value && preview?.id === value ? preview : undefined;
  return (
    // A group of controls, not one input: its label names the group.
    <Stack gap={6} role="group" aria-labelledby={`${id}-label`} aria-describedby={`${id}-description`}>
      <div>
        <Input.Label component="div" id={`${id}-label`}>
          Cover image
        </Input.Label>
        <Input.Description id={`${id}-description`}>
          Shown above the post and in lists of posts. Optional.
        </Input.Description>
      </div>
      <Stack gap="xs">
        {shown ? (
          <figure className={classes.coverPreview}>
            <MediaImage image={shown} sizes="(max-width: 62em) 92vw, 40rem" alt="" />
            <Text component="figcaption" size="sm" className={classes.wrapAnywhere}>
              <Text span fw={600} size="sm">
                Alt text:
              </Text>{' '}
              {shown.altText ?? 'none yet (needed before publishing)'}
            </Text>
          </figure>
        ) : value ? (
          <Text size="sm">A cover image is chosen.</Text>
        ) : (
          <Text size="sm" c="dimmed">
            No cover image.
          </Text>
        )}
        <Group gap="sm">
          <Button ref={chooseButton} variant="default" onClick={() => setPicking(true)} aria-haspopup="dialog">
            {value ? 'Change cover image' : 'Choose a cover image'}
          </Button>
          {value ? (
            <Button
              variant="default"
              onClick={() => {
                onChange(undefined);
                // The button pressed is gone: focus stays in the field.
                requestAnimationFrame(() => chooseButton.current?.focus());
                notifySuccess('Cover image removed. Save the post to keep the change.');
              }}
            >
              Remove cover image
            </Button>
          ) : null}
          {/* Bordered like the app's other secondary actions: a subtle (borderless) button's padding
              set its word in from the content edge, and its colour changed with the scheme. */}
          <Button component={Link} to={paths.media} variant="default">
            Media library
          </Button>
        </Group>
      </Stack>
      {error ? (
        <Text size="sm" c="var(--mantine-color-error)" role="alert">
          {error}
        </Text>
      ) : null}
      <MediaPicker
        opened={picking}
        onClose={() => setPicking(false)}
        purpose="cover"
        onPick={(media) => {
          setPicking(false);
          onChange({
            id: media.id,
            url: media.url,
            srcset: media.srcset,
            width: media.width,
            height: media.height,
            altText: media.altText,
          });
          notifySuccess('Cover image chosen. Save the post to keep it.');
        }}
      />
    </Stack>
  );
}
