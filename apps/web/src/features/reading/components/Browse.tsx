import { Anchor, Button, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useId, useState } from 'react';
import { Link } from 'react-router';

import { categoryPath, tagPath } from '../../../app/paths';
import { ApiErrorAlert } from '../../../components/ui/ApiErrorAlert';
import { useEffectivePreferences } from '../../settings';
import type { CategoryNode } from '../api/reading.api';
import { useCategories, useTags } from '../api/reading.queries';

/** "5 posts", "1 post". */
export const postCount = (count: number): string => `${count} ${count === 1 ? 'post' : 'posts'}`;

/** The categories as nested lists of links, each with its published posts; `current` is marked as the page. */
export function CategoryTree({
  nodes,
  current,
  labelledBy,
}: {
  nodes: CategoryNode[];
  current?: string;
  labelledBy?: string;
}) {
  return (
    <Stack
      component="ul"
      gap={6}
      m={0}
      pl={labelledBy ? 0 : 'lg'}
      style={{ listStyle: 'none' }}
      aria-labelledby={labelledBy}
    >
      {nodes.map((node) => (
        <li key={node.id}>
          <Anchor
            component={Link}
            to={categoryPath(node.slug)}
            aria-current={node.slug === current ? 'page' : undefined}
            fw={node.slug === current ? 700 : undefined}
          >
            {node.name}
          </Anchor>{' '}
          <Text span size="sm" c="dimmed">
            ({postCount(node.postCount)})
          </Text>
          {node.children.length > 0 ? <CategoryTree nodes={node.children} current={current} /> : null}
        </li>
      ))}
    </Stack>
  );
}

/** A titled part of a page that lists things to go to next. */
export function BrowseSection({ title, children }: { title: string; children: (headingId: string) => ReactNode }) {
  const headingId = useId();
  return (
    <Stack component="nav" gap="sm" aria-labelledby={headingId}>
      <Title order={2} size="h3" id={headingId}>
        {title}
      </Title>
      {children(headingId)}
    </Stack>
  );
}

function ListSkeleton() {
  return (
    <Stack gap="xs" aria-hidden="true">
      <Skeleton height={14} width="40%" />
      <Skeleton height={14} width="55%" />
      <Skeleton height={14} width="35%" />
    </Stack>
  );
}

/** Every category, to browse (`current` marked). */
export function BrowseCategories({ title = 'All categories', current }: { title?: string; current?: string }) {
  const categories = useCategories();
  return (
    <BrowseSection title={title}>
      {(headingId) =>
        categories.isPending ? (
          <ListSkeleton />
        ) : categories.isError ? (
          <ApiErrorAlert
            title="Could not load the categories"
            error={categories.error}
            onRetry={() => void categories.refetch()}
            retrying={categories.isFetching}
          />
        ) : categories.data.length === 0 ? (
          <Text>There are no categories yet.</Text>
        ) : (
          <CategoryTree nodes={categories.data} current={current} labelledBy={headingId} />
        )
      }
    </BrowseSection>
  );
}

/** The most used tags, to browse (`current` marked). */
export function BrowseTags({ title = 'Popular tags', current }: { title?: string; current?: string }) {
  const tags = useTags();
  return (
    <BrowseSection title={title}>
      {(headingId) =>
        tags.isPending ? (
          <ListSkeleton />
        ) : tags.isError ? (
          <ApiErrorAlert
            title="Could not load the tags"
            error={tags.error}
            onRetry={() => void tags.refetch()}
            retrying={tags.isFetching}
          />
        ) : tags.data.length === 0 ? (
          <Text>There are no tags yet.</Text>
        ) : (
          <Group component="ul" gap="xs" m={0} p={0} style={{ listStyle: 'none' }} aria-labelledby={headingId}>
            {tags.data.map((tag) => (
              <li key={tag.id}>
                <Anchor
                  component={Link}
                  to={tagPath(tag.slug)}
                  aria-current={tag.slug === current ? 'page' : undefined}
                  fw={tag.slug === current ? 700 : undefined}
                >
                  {tag.name}
                </Anchor>
              </li>
            ))}
          </Group>
        )
      }
    </BrowseSection>
  );
}

/**
 * The reader's preferred highest reading level, for a list of posts: the level to ask for, and a
 * status that says it applies, with a button to show every level (and back).
 */
export function usePreferredLevel(): { readingLevel: number | undefined; notice: ReactNode } {
  const { maxReadingLevel } = useEffectivePreferences();
  const [everyLevel, setEveryLevel] = useState(false);
  if (maxReadingLevel === null) return { readingLevel: undefined, notice: null };
  return {
    readingLevel: everyLevel ? undefined : maxReadingLevel,
    notice: (
      <Group gap="xs" wrap="wrap" role="status">
        <Text size="sm">
          {everyLevel
            ? 'Showing posts of every reading level.'
            : `Showing posts up to grade ${maxReadingLevel} — your preference.`}
        </Text>
        <Button variant="default" size="compact-sm" onClick={() => setEveryLevel(!everyLevel)}>
          {everyLevel ? `Only up to grade ${maxReadingLevel}` : 'Show all'}
        </Button>
      </Group>
    ),
  };
}
