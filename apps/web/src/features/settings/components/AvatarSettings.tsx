import { Button, FileButton, Group, Image, Paper, Stack, Text } from '@mantine/core';
import { type DragEvent, useEffect, useRef, useState } from 'react';

import { FormErrorAlert } from '../../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../../components/ui/notify';
import { UserAvatar } from '../../../components/ui/UserAvatar';
import { ApiError } from '../../../lib/api';
import type { SessionUser } from '../../../lib/session';
import { AVATAR_MAX_BYTES, AVATAR_TYPES } from '../api/avatar.api';
import { useRemoveAvatar, useUploadAvatar } from '../api/settings.queries';
import classes from './AvatarSettings.module.css';

/** The avatar and the preview of a new one take the same room: nothing moves between the two. */
const SHOWN_SIZE = 128;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;

/** Why a file cannot be an avatar, before sending it; the API judges the bytes again (and alone decides the type). */
function fileProblem(file: File): string | undefined {
  if (file.size === 0) return 'The file is empty. Choose a picture.';
  // An unknown type (some systems give none) is left to the API, which reads the content.
  if (file.type && !(AVATAR_TYPES as readonly string[]).includes(file.type)) {
    return 'Choose a PNG, JPEG or WebP picture.';
  }
  if (file.size > AVATAR_MAX_BYTES) {
    return `This picture is ${megabytes(file.size)}; the largest is ${megabytes(AVATAR_MAX_BYTES)}. Choose a smaller one, or scale it down first.`;
  }
  return undefined;
}

/** The API's answer in words a person can act on; a proxy's own 413 page says nothing useful. */
function uploadProblem(error: unknown): string | undefined {
  if (error instanceof ApiError && error.httpStatus === 413) {
    return `The picture is larger than ${megabytes(AVATAR_MAX_BYTES)}. Choose a smaller one, or scale it down first.`;
  }
  return undefined;
}

/** The file as a `data:` URL, for the preview. */
function dataUrlOf(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}

interface Chosen {
  file: File;
  /** A `data:` URL: the Content-Security-Policy allows those for images, not `blob:`. */
  preview: string;
}

/** Natural size of the chosen picture, once it has loaded. */
interface Size {
  width: number;
  height: number;
}

/**
 * The chosen picture whole, with the square the API keeps (centred, as large as the shorter side)
 * marked on it and the rest dimmed; the same in words below it.
 */
function CropPreview({ src }: { src: string }) {
  const [size, setSize] = useState<Size>();
  const side = size ? Math.min(size.width, size.height) : 0;
  const square =
    size && side > 0
      ? {
          left: `${((size.width - side) / 2 / size.width) * 100}%`,
          top: `${((size.height - side) / 2 / size.height) * 100}%`,
          width: `${(side / size.width) * 100}%`,
          height: `${(side / size.height) * 100}%`,
        }
      : undefined;
  return (
    <figure className={classes.crop}>
      <div className={classes.frame}>
        <img
          src={src}
          alt="Your chosen picture, with the part that will be kept marked"
          className={classes.original}
          onLoad={(event) =>
            setSize({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })
          }
        />
        {square ? <div className={classes.square} style={square} data-crop-square="" aria-hidden="true" /> : null}
      </div>
      <Text component="figcaption" size="sm" mt={6} maw="15rem">
        {size && side > 0
          ? size.width === size.height
            ? `The whole picture (${side} × ${side} pixels) is kept: it is square already.`
            : `Kept: the marked ${side} × ${side} square in the middle of this ${size.width} × ${size.height} picture; the dimmed ${size.width > size.height ? 'left and right edges are' : 'top and bottom edges are'} cut off.`
          : 'The square in the middle of the picture is kept.'}
      </Text>
    </figure>
  );
}

/**
 * The avatar: choose a picture (file picker or drag and drop), see the centred square the API will
 * keep, save it; or remove it. No cropping here: the API crops to the centred square itself, which
 * is what the preview shows (`object-fit: cover`), and the original file is sent untouched.
 */
export function AvatarSettings({ user }: { user: SessionUser }) {
  const upload = useUploadAvatar();
  const remove = useRemoveAvatar();
  const [chosen, setChosen] = useState<Chosen>();
  const [problem, setProblem] = useState<string>();
  const [dragging, setDragging] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const resetPicker = useRef<() => void>(null);
  // The one control in every state: focus goes back to it when the buttons around it go away
  // (once it is enabled again, after the render that ends the upload).
  const chooseButton = useRef<HTMLButtonElement>(null);
  const refocusChoose = useRef(false);
  useEffect(() => {
    if (!refocusChoose.current || upload.isPending || remove.isPending) return;
    refocusChoose.current = false;
    chooseButton.current?.focus();
  });
  const busy = upload.isPending || remove.isPending;

  const choose = async (file: File | null | undefined) => {
    resetPicker.current?.();
    if (!file || busy) return;
    upload.reset();
    remove.reset();
    const rejected = fileProblem(file);
    setProblem(rejected);
    if (rejected) {
      setChosen(undefined);
      return;
    }
    try {
      setChosen({ file, preview: await dataUrlOf(file) });
      setAnnouncement('Preview ready: save it, or choose another picture.');
    } catch {
      setProblem('The file could not be read. Choose another picture.');
    }
  };

  const save = () => {
    if (!chosen || busy) return;
    setAnnouncement('Uploading your picture…');
    upload.mutate(chosen.file, {
      onSuccess: () => {
        setChosen(undefined);
        setAnnouncement('');
        notifySuccess('Avatar saved.');
        refocusChoose.current = true;
      },
      onError: () => setAnnouncement(''),
    });
  };

  const onRemove = () => {
    if (busy) return;
    setProblem(undefined);
    upload.reset();
    remove.mutate(undefined, { onSuccess: () => notifySuccess('Avatar removed.') });
  };

  const dragProps = {
    onDragOver: (event: DragEvent) => {
      event.preventDefault();
      event.dataTransfer.dropEffect = busy ? 'none' : 'copy';
      setDragging(true);
    },
    onDragLeave: () => setDragging(false),
    onDrop: (event: DragEvent) => {
      event.preventDefault();
      setDragging(false);
      void choose(event.dataTransfer.files[0]);
    },
  };

  const error = upload.error ?? remove.error;

  return (
    <Stack gap="md">
      {problem ? (
        <FormErrorAlert title="This picture cannot be used" message={problem} focusOnShow />
      ) : error ? (
        <FormErrorAlert
          title={upload.isError ? 'Could not save the avatar' : 'Could not remove the avatar'}
          message={uploadProblem(error)}
          error={error}
          focusOnShow
        />
      ) : null}
      <Paper
        withBorder
        radius="md"
        p="md"
        {...dragProps}
        style={{
          borderStyle: 'dashed',
          background: dragging ? 'var(--mantine-primary-color-light)' : undefined,
        }}
      >
        <Group gap="lg" align="center" wrap="wrap">
          {chosen ? <CropPreview src={chosen.preview} /> : null}
          {chosen ? (
            <Image
              src={chosen.preview}
              alt="Preview of your new avatar, as it will show: the centre square, in a circle"
              w={SHOWN_SIZE}
              h={SHOWN_SIZE}
              fit="cover"
              radius={SHOWN_SIZE}
            />
          ) : (
            <UserAvatar
              user={user}
              size={SHOWN_SIZE}
              label={user.avatarUrl ? 'Your avatar' : 'Your avatar: your initials'}
            />
          )}
          <Stack gap="xs" flex={1} miw={220}>
            <Text size="sm">
              {chosen
                ? 'This is how your avatar will look: the centre square of the picture, shown everywhere your name is.'
                : 'A PNG, JPEG or WebP picture of at most 2 MB. Its centre square is kept, at 256 × 256 pixels.'}
            </Text>
            <Text size="sm" c="dimmed">
              Drop a picture here, or choose one.
            </Text>
            <Group gap="sm">
              {chosen ? (
                <>
                  <Button onClick={save} loading={upload.isPending} disabled={remove.isPending}>
                    Save avatar
                  </Button>
                  <Button
                    variant="default"
                    disabled={busy}
                    onClick={() => {
                      setChosen(undefined);
                      setProblem(undefined);
                      upload.reset();
                      setAnnouncement('');
                      refocusChoose.current = true;
                    }}
                  >
                    Cancel
                  </Button>
                </>
              ) : null}
              <FileButton
                onChange={(file) => void choose(file)}
                accept={AVATAR_TYPES.join(',')}
                resetRef={resetPicker}
                disabled={busy}
                inputProps={{ 'aria-label': 'Avatar picture file' }}
              >
                {(props) => (
                  <Button {...props} ref={chooseButton} variant={chosen ? 'subtle' : 'default'} disabled={busy}>
                    {chosen ? 'Choose another picture' : 'Choose a picture'}
                  </Button>
                )}
              </FileButton>
              {user.avatarUrl && !chosen ? (
                <Button variant="outline" color="red.9" onClick={onRemove} loading={remove.isPending} disabled={busy}>
                  Remove avatar
                </Button>
              ) : null}
            </Group>
          </Stack>
        </Group>
      </Paper>
      {/* Always in the tree, so what happens is announced. */}
      <Text size="sm" role="status" aria-live="polite">
        {announcement}
      </Text>
    </Stack>
  );
}
