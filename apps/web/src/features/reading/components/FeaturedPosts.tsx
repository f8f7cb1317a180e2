import { Stack, Title } from '@mantine/core';
import { useId } from 'react';

import { ApiErrorAlert } from '../../../components/ui/ApiErrorAlert';
import { useFeatured } from '../api/reading.queries';
import { PostList } from './PostFeed';

/**
 * The posts editors featured, newest first, above the feed. Nothing while they load or when none
 * is featured (the feed below says what there is); a failure says so, with a retry.
 */
export function FeaturedPosts() {
  const featured = useFeatured();
  const headingId = useId();

  if (featured.isPending) return null;
  if (featured.isError) {
    return (
      <ApiErrorAlert
        title="Could not load the featured posts"
        error={featured.error}
        onRetry={() => void featured.refetch()}
        retrying={featured.isFetching}
      />
    );
  }
  if (featured.data.posts.length === 0) return null;
  return (
    <Stack component="section" gap="sm" aria-labelledby={headingId}>
      <Title order={2} size="h3" id={headingId}>
        Featured
      </Title>
      <PostList posts={featured.data.posts} labelledBy={headingId} />
    </Stack>
  );
}
