import { Alert, Button, FileButton, Group, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';

import { AlertIcon } from '../../../components/ui/icons';
import { notifySuccess } from '../../../components/ui/notify';
import { type Media, uploadMedia } from '../api/media.api';
import { useRefreshMedia } from '../api/media.queries';
import { fileProblem, MEDIA_MAX_BYTES, MEDIA_TYPES, megabytes, uploadProblem } from '../media.format';

type UploadState =
  | { kind: 'idle'; said?: string }
  | { kind: 'sending'; name: string; percent: number }
  /** Every byte is there: the server makes the sizes (a moment for a large photo). */
  | { kind: 'processing'; name: string }
  | { kind: 'failed'; message: string };

interface MediaUploaderProps {
  /** The new image, once the library has it. */
  onUploaded: (media: Media) => void;
  label?: string;
}

/**
 * Uploads one image to the library: checks the file first (type, size), shows how much has been
 * sent and that the server is still working on it, can be cancelled, and says why a file was refused.
 */
export function MediaUploader({ onUploaded, label = 'Upload an image' }: MediaUploaderProps) {
  const [state, setState] = useState<UploadState>({ kind: 'idle' });
  const controller = useRef<AbortController | undefined>(undefined);
  const reset = useRef<() => void>(null);
  const refresh = useRefreshMedia();

  // Leaving the page (or closing the dialog) stops an upload under way.
  useEffect(() => () => controller.current?.abort(), []);

  const start = async (file: File | null) => {
    reset.current?.();
    if (!file) return;
    const problem = fileProblem(file);
    if (problem) {
      setState({ kind: 'failed', message: problem });
      return;
    }
    const abort = new AbortController();
    controller.current = abort;
    setState({ kind: 'sending', name: file.name, percent: 0 });
    try {
      const media = await uploadMedia(file, {
        signal: abort.signal,
        onProgress: ({ loaded, total }) =>
          setState(
            loaded >= total
              ? { kind: 'processing', name: file.name }
              : { kind: 'sending', name: file.name, percent: Math.floor((loaded / total) * 100) },
          ),
      });
      setState({ kind: 'idle' });
      void refresh();
      notifySuccess(`“${file.name}” uploaded.`);
      onUploaded(media);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') {
        setState({ kind: 'idle', said: 'Upload cancelled.' });
        return;
      }
      setState({ kind: 'failed', message: uploadProblem(error) });
    } finally {
      if (controller.current === abort) controller.current = undefined;
    }
  };

  const busy = state.kind === 'sending' || state.kind === 'processing';
  const status =
    state.kind === 'sending'
      ? `Uploading “${state.name}”…`
      : state.kind === 'processing'
        ? `Preparing “${state.name}” for every screen size…`
        : state.kind === 'idle'
          ? (state.said ?? '')
          : '';

  return (
    <Stack gap="xs">
      <Group gap="sm" align="center">
        <FileButton onChange={(file) => void start(file)} accept={MEDIA_TYPES.join(',')} resetRef={reset}>
          {(props) => (
            <Button {...props} disabled={busy}>
              {label}
            </Button>
          )}
        </FileButton>
        {busy ? (
          <Button variant="default" onClick={() => controller.current?.abort()}>
            Cancel upload
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        PNG, JPEG or WebP, up to {megabytes(MEDIA_MAX_BYTES)}. It is stored in sizes for every screen, without its
        location and camera data.
      </Text>
      {/* Said once per change (not per per cent): the bar holds the detail. */}
      <Text size="sm" role="status" aria-live="polite" data-testid="upload-status">
        {status}
      </Text>
      {busy ? (
        <Progress
          value={state.kind === 'sending' ? state.percent : 100}
          animated={state.kind === 'processing'}
          aria-label={state.kind === 'sending' ? `Uploading “${state.name}”` : `Preparing “${state.name}”`}
          size="lg"
        />
      ) : null}
      {state.kind === 'failed' ? (
        <Alert
          color="red"
          variant="light"
          title="Could not upload the image"
          icon={<AlertIcon size={20} />}
          role="alert"
        >
          {state.message}
        </Alert>
      ) : null}
    </Stack>
  );
}
