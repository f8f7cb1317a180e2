import { Anchor, Button, Card, Group, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { paths } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { AlertIcon } from '../../components/ui/icons';
import type { Media } from './api/media.api';
import { useMediaList } from './api/media.queries';
import { DeleteMediaDialog } from './components/DeleteMediaDialog';
import { DescribeMediaDialog } from './components/DescribeMediaDialog';
import { MediaImage } from './components/MediaImage';
import { MediaUploader } from './components/MediaUploader';
import classes from './Media.module.css';
import { imageName, uploadedOn, usedByText } from './media.format';

/** A card is about 13rem wide (two columns on a phone, up to five on a wide screen). */
const THUMB_SIZES = '(max-width: 36em) 92vw, (max-width: 62em) 45vw, 16rem';

/**
 * `/media`: the signed-in author's images (an editor's: everyone's), newest first. Upload, give
 * each its alt text and caption, and delete — a deletion refused while posts show it can be
 * forced after being told what that does.
 */
export function MediaLibraryPage() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Math.floor(Number(params.get('page')) || 1));
  const list = useMediaList(page);
  const [describing, setDescribing] = useState<Media>();
  const [deleting, setDeleting] = useState<Media>();
  const heading = useRef<HTMLHeadingElement>(null);

  const turnTo = (next: number) => setParams(next > 1 ? { page: String(next) } : {}, { preventScrollReset: true });

  // A page past the end (the last image on it deleted): the last page there is.
  const totalPages = list.data?.pagination.totalPages;
  useEffect(() => {
    if (totalPages !== undefined && totalPages > 0 && page > totalPages) turnTo(totalPages);
  });

  return (
    <Stack gap="lg">
      <title>Media library · Atrium</title>
      <Stack gap={4}>
        <Anchor component={Link} to={paths.write.root} size="sm">
          My posts
        </Anchor>
        <Title order={1} ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
          Media library
        </Title>
      </Stack>
      <Text maw={720}>
        Images for your posts. Each needs alt text — what it shows, for those who cannot see it — before a post that
        shows it can be published. In the editor, the image button and the cover field choose from here.
      </Text>
      <Stack component="section" gap="sm" aria-labelledby="media-upload-heading">
        <Title order={2} size="h3" id="media-upload-heading">
          Upload
        </Title>
        {/* A new image is described at once: it cannot go into a published post without alt text. */}
        <MediaUploader onUploaded={setDescribing} />
      </Stack>
      <Stack component="section" gap="sm" aria-labelledby="media-images-heading">
        <Title order={2} size="h3" id="media-images-heading">
          Your images
        </Title>
        <Images list={list} page={page} onPage={turnTo} onDescribe={setDescribing} onDelete={setDeleting} />
      </Stack>
      <DescribeMediaDialog media={describing} onClose={() => setDescribing(undefined)} />
      <DeleteMediaDialog
        media={deleting}
        onClose={() => setDeleting(undefined)}
        onDeleted={() => {
          setDeleting(undefined);
          // Its card, and the button that opened the dialog, are gone: continue from the heading.
          requestAnimationFrame(() => heading.current?.focus());
        }}
      />
    </Stack>
  );
}

interface ImagesProps {
  list: ReturnType<typeof useMediaList>;
  page: number;
  onPage: (page: number) => void;
  onDescribe: (media: Media) => void;
  onDelete: (media: Media) => void;
}

function Images({ list, page, onPage, onDescribe, onDelete }: ImagesProps) {
  const countRef = useRef<HTMLParagraphElement>(null);
  if (list.isPending) return <ImagesSkeleton />;
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
  if (items.length === 0 && pagination.totalItems === 0) {
    return (
      <Card withBorder radius="md" padding="lg">
        <Stack gap={4}>
          <Text fw={600}>No images yet</Text>
          <Text size="sm">
            Upload a PNG, JPEG or WebP image above; it shows here, ready to describe and use in posts.
          </Text>
        </Stack>
      </Card>
    );
  }
  const turn = (next: number) => {
    onPage(next);
    countRef.current?.focus();
  };
  return (
    <Stack gap="md">
      <Text ref={countRef} tabIndex={-1} size="sm" c="dimmed" role="status" style={{ outline: 'none' }}>
        {`${pagination.totalItems} ${pagination.totalItems === 1 ? 'image' : 'images'}${
          pagination.totalPages > 1 ? `, page ${pagination.page} of ${pagination.totalPages}` : ''
        }`}
        {list.isPlaceholderData ? ' (loading…)' : ''}
      </Text>
      <ul className={classes.grid} aria-label="Images" aria-busy={list.isPlaceholderData || undefined}>
        {items.map((media) => (
          <li key={media.id}>
            <MediaCard media={media} onDescribe={() => onDescribe(media)} onDelete={() => onDelete(media)} />
          </li>
        ))}
      </ul>
      {pagination.totalPages > 1 ? (
        <Group gap="sm">
          <Button variant="default" disabled={!pagination.hasPrev} onClick={() => turn(page - 1)}>
            Previous page
          </Button>
          <Button variant="default" disabled={!pagination.hasNext} onClick={() => turn(page + 1)}>
            Next page
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

function MediaCard({ media, onDescribe, onDelete }: { media: Media; onDescribe: () => void; onDelete: () => void }) {
  const name = imageName(media);
  return (
    <Card withBorder radius="md" padding="sm" className={classes.card}>
      <Card.Section>
        {/* The alt text is said just below, in words: the image itself need not repeat it. */}
        <MediaImage image={media} sizes={THUMB_SIZES} alt="" className={classes.thumb} />
      </Card.Section>
      <Stack gap={6} mt="sm" style={{ flex: 1 }}>
        {media.altText ? (
          <Text size="sm" className={classes.wrapAnywhere} lineClamp={4}>
            <Text span fw={600} size="sm">
              Alt text:
            </Text>{' '}
            {media.altText}
          </Text>
        ) : (
          <Group gap={6} wrap="nowrap" align="flex-start">
            <AlertIcon size={18} color="var(--mantine-color-orange-text)" style={{ flexShrink: 0 }} />
            <Text size="sm" fw={600}>
              No alt text yet: posts that show it cannot be published.
            </Text>
          </Group>
        )}
        {media.caption ? (
          <Text size="sm" className={classes.wrapAnywhere} lineClamp={3}>
            <Text span fw={600} size="sm">
              Caption:
            </Text>{' '}
            {media.caption}
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          {media.width} × {media.height} px · {usedByText(media.usedBy)} · Uploaded {uploadedOn(media.createdAt)}
        </Text>
      </Stack>
      <Group gap="xs" mt="sm">
        <Button size="xs" variant="default" onClick={onDescribe}>
          {media.altText ? 'Edit description' : 'Add alt text'}{' '}
          <VisuallyHidden>{`of the image ${name}`}</VisuallyHidden>
        </Button>
        <Button size="xs" variant="default" color="red" onClick={onDelete}>
          Delete <VisuallyHidden>{`the image ${name}`}</VisuallyHidden>
        </Button>
      </Group>
    </Card>
  );
}

function ImagesSkeleton() {
  return (
    <>
      <div role="status">
        <VisuallyHidden>Loading the library…</VisuallyHidden>
      </div>
      <ul className={classes.grid} aria-hidden="true">
        {Array.from({ length: 6 }, (_, index) => (
          <li key={index}>
            <Card withBorder radius="md" padding="sm">
              <Card.Section>
                <Skeleton style={{ aspectRatio: '4 / 3' }} />
              </Card.Section>
              <Stack gap={6} mt="sm">
                <Skeleton height={14} />
                <Skeleton height={14} width="70%" />
                <Skeleton height={12} width="50%" />
              </Stack>
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
