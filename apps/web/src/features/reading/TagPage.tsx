import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';

import { feedPath, paths, postsPath } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { useTag } from './api/reading.queries';
import { NotFound, TaxonomySkeleton } from './CategoryPage';
import { BrowseTags, usePreferredLevel } from './components/Browse';
import { FeedLink } from './components/FeedLink';
import { PostFeed } from './components/PostFeed';

/** A tag: its name, its RSS feed and the published posts that carry it, newest first; other tags to browse. */
export function TagPage() {
  const { slug = '' } = useParams();
  const tag = useTag(slug);
  const { readingLevel, notice } = usePreferredLevel();

  if (tag.isPending) return <TaxonomySkeleton label="Loading the tag…" />;
  if (tag.isError) {
    return (
      <Stack gap="lg">
        <title>Tag · Atrium</title>
        <Title order={1}>Tag</Title>
        <ApiErrorAlert
          title="Could not load this tag"
          error={tag.error}
          onRetry={() => void tag.refetch()}
          retrying={tag.isFetching}
        />
      </Stack>
    );
  }
  if (!tag.data) {
    return (
      <NotFound kind="Tag" backTo={paths.tags} backLabel="All tags">
        No tag lives at this address. It may have been renamed, merged into another or removed.
      </NotFound>
    );
  }
  const { name } = tag.data;

  return (
    <Stack gap="lg">
      <title>{`Tagged ${name} · Atrium`}</title>
      <Stack gap="xs">
        <Anchor component={Link} to={paths.tags} size="sm">
          Tags
        </Anchor>
        <Title order={1} style={{ overflowWrap: 'anywhere' }}>
          {`Tagged ${name}`}
        </Title>
        <Group gap="md" wrap="wrap">
          <FeedLink
            href={feedPath({ tag: tag.data.slug })}
            label="RSS feed of this tag"
            alternate={`Tagged ${name} — newest posts`}
          />
          <Anchor component={Link} to={postsPath({ tag: tag.data.slug })} size="sm">
            Search or filter these posts
          </Anchor>
        </Group>
      </Stack>

      {notice}
      <PostFeed
        filter={{ tag: tag.data.slug, ...(readingLevel ? { readingLevel } : {}) }}
        heading={`Posts tagged ${name}, newest first`}
        empty={
          <Text>
            {readingLevel
              ? 'No post with this tag is at your reading level yet.'
              : 'No published post has this tag yet.'}
          </Text>
        }
      />

      <BrowseTags current={tag.data.slug} />
    </Stack>
  );
}
