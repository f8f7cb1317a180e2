import { ErrorCode } from '@atrium/contracts';
import { Anchor, Button, Group, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useId } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';

import { categoryPath, paths, postPath, profilePath, tagPath } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { PostHtml } from '../../components/ui/PostHtml';
import { displayName, UserAvatar } from '../../components/ui/UserAvatar';
import { ApiError } from '../../lib/api';
import { useAfterFirstPaint } from '../../lib/after-paint';
import { signInPath } from '../auth';
import { MediaImage } from '../media';

// Below the article: its code (the form, the thread) loads after the post is on screen, keeping a
// reader's first visit within its JavaScript budget (e2e/screens.e2e.mjs).
const CommentsSection = lazy(() => import('../comments').then((module) => ({ default: module.CommentsSection })));
import type { Post } from './api/reading.api';
import { postQueryOptions, usePost } from './api/reading.queries';
import { LabelBadge } from './components/PostCard';
import classes from './PostPage.module.css';
import { publishedDate, readingLevel, readingTime, SEPARATOR, unbroken, viewCount } from './reading.format';

const hasCode = (error: unknown, code: string) => error instanceof ApiError && error.code === code;

/**
 * One post: its title as the page's h1 (the body starts at h2), the author, where it is filed and
 * labelled (links to their pages), when it was published, how long and how hard it is to read,
 * how often it was read, and the body. A members-only post asks a visitor to sign in and comes back here; an
 * old slug lands on the post's address of now.
 */
export function PostPage() {
  const { slug = '' } = useParams();
  const { viewer, query } = usePost(slug);
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const current = query.data?.slug;

  // The API followed an old slug to the post's current one: the address follows too, replacing
  // the old entry (Back does not lead to the old slug again); the post is not asked for twice.
  useEffect(() => {
    if (!current || current === slug || !query.data || viewer === undefined) return;
    queryClient.setQueryData(postQueryOptions(viewer, current).queryKey, query.data);
    void navigate(`${postPath(current)}${location.search}${location.hash}`, { replace: true });
  }, [current, slug, query.data, viewer, queryClient, navigate, location.search, location.hash]);

  if (query.isPending) return <PostSkeleton />;
  if (query.isError) {
    if (hasCode(query.error, ErrorCode.NOT_FOUND)) return <NoSuchPost />;
    if (hasCode(query.error, ErrorCode.UNAUTHENTICATED))
      return <MembersOnly returnTo={`${location.pathname}${location.search}`} />;
    return (
      <Stack gap="lg" maw={760}>
        <title>Post · Atrium</title>
        <Title order={1}>Post</Title>
        <ApiErrorAlert
          title="Could not load this post"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      </Stack>
    );
  }
  return (
    <>
      <PostArticle post={query.data} />
      <DeferredComments post={query.data} />
    </>
  );
}

/** The comments, whose code (the form, the thread) starts loading once the post is on screen, not with it. */
function DeferredComments({ post }: { post: Post }) {
  const postShown = useAfterFirstPaint();
  const placeholder = <Skeleton height={160} maw={760} aria-hidden="true" />;
  if (!postShown) return placeholder;
  return (
    <Suspense fallback={placeholder}>
      <CommentsSection post={post} />
    </Suspense>
  );
}

function PostArticle({ post }: { post: Post }) {
  const titleId = useId();
  const author = displayName(post.author);
  return (
    <Stack component="article" gap="lg" maw={760} aria-labelledby={titleId}>
      <title>{`${post.title} · Atrium`}</title>
      <Stack component="header" gap="sm">
        {post.category ? (
          <Anchor component={Link} to={categoryPath(post.category.slug)} size="sm" fw={600}>
            {post.category.name}
          </Anchor>
        ) : null}
        <Title order={1} id={titleId}>
          {post.title}
        </Title>
        <Group gap="sm" wrap="nowrap" align="center">
          <UserAvatar user={post.author} size={40} decorative />
          <Stack gap={0} miw={0} style={{ overflowWrap: 'anywhere' }}>
            <Text size="sm">
              By{' '}
              <Anchor component={Link} to={profilePath(post.author.username)} fw={600}>
                {author}
              </Anchor>
            </Text>
            <Text size="sm" c="dimmed">
              {post.publishedAt ? (
                <>
                  Published <time dateTime={post.publishedAt}>{unbroken(publishedDate(post.publishedAt))}</time>
                  {SEPARATOR}
                </>
              ) : null}
              {unbroken(readingTime(post.readingTimeMinutes))}
              {post.readingLevel !== null ? `${SEPARATOR}${unbroken(readingLevel(post.readingLevel))}` : null}
              {`${SEPARATOR}${unbroken(viewCount(post.viewCount))}`}
            </Text>
          </Stack>
        </Group>
        {post.visibility === 'members' ? (
          <Group>
            <LabelBadge>Members only</LabelBadge>
          </Group>
        ) : null}
      </Stack>

      {post.cover ? (
        // Its width and height hold its room while it loads; CSS scales it to the column.
        <MediaImage image={post.cover} sizes="(max-width: 47.5rem) 100vw, 47.5rem" className={classes.cover} eager />
      ) : null}

      <PostHtml data-testid="post-body" html={post.html} />

      {post.tags.length > 0 ? (
        <Stack component="footer" gap="xs">
          <Text fw={600} size="sm" id={`${titleId}-tags`}>
            Tags
          </Text>
          <Group component="ul" gap="sm" m={0} p={0} style={{ listStyle: 'none' }} aria-labelledby={`${titleId}-tags`}>
            {post.tags.map((tag) => (
              <li key={tag.id}>
                <Anchor component={Link} to={tagPath(tag.slug)} size="sm">
                  {tag.name}
                </Anchor>
              </li>
            ))}
          </Group>
        </Stack>
      ) : null}
      <Anchor component={Link} to={paths.posts}>
        All posts
      </Anchor>
    </Stack>
  );
}

/** The post's shape while it loads; its h1 comes with the post (focus waits for it). */
function PostSkeleton() {
  return (
    <Stack gap="lg" maw={760}>
      <div role="status">
        <VisuallyHidden>Loading the post…</VisuallyHidden>
      </div>
      <Stack gap="sm" aria-hidden="true">
        <Skeleton height={14} width={120} />
        <Skeleton height={36} width="80%" />
        <Skeleton height={40} width={260} />
      </Stack>
      <Stack gap="xs" aria-hidden="true">
        <Skeleton height={14} />
        <Skeleton height={14} />
        <Skeleton height={14} width="90%" />
        <Skeleton height={14} width="60%" />
      </Stack>
    </Stack>
  );
}

function MembersOnly({ returnTo }: { returnTo: string }) {
  return (
    <Stack gap="md" maw={640} align="flex-start">
      <title>Members only · Atrium</title>
      <Title order={1}>This post is for members</Title>
      <Text>Sign in to read it; you will come back to this page afterwards.</Text>
      <Group gap="sm">
        <Button component={Link} to={signInPath(returnTo)}>
          Sign in to read
        </Button>
        <Button component={Link} to={paths.signUp} variant="default">
          Create an account
        </Button>
      </Group>
      <Anchor component={Link} to={paths.posts}>
        Back to the posts
      </Anchor>
    </Stack>
  );
}

function NoSuchPost() {
  return (
    <Stack gap="md" maw={640} align="flex-start">
      <title>Post not found · Atrium</title>
      <Title order={1}>Post not found</Title>
      <Text>No post lives at this address. It may have been taken down, or the link is mistyped.</Text>
      <Button component={Link} to={paths.posts}>
        Back to the posts
      </Button>
    </Stack>
  );
}
