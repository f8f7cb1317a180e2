import { Textarea, type TextareaProps } from '@mantine/core';

import { ALT_TEXT_MAX } from '../media.format';

/** The alt text is required: the API refuses to publish a post with an image that has none. */
export const altTextError = (value: string): string | null =>
  value.trim() === ''
    ? 'Describe what the image shows: posts with an image without alt text cannot be published.'
    : value.length > ALT_TEXT_MAX
      ? `Use at most ${ALT_TEXT_MAX} characters.`
      : null;

/** The alt text field, with the same guidance wherever an image is described. */
export function AltTextField(props: TextareaProps & { 'data-autofocus'?: boolean }) {
  return (
    <Textarea
      label="Alt text"
      description="What the image shows, for those who cannot see it: a sentence or two, as you would describe it on the phone. Required."
      required
      autosize
      minRows={2}
      maxRows={6}
      maxLength={ALT_TEXT_MAX}
      {...props}
    />
  );
}
