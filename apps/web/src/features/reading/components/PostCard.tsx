import { Anchor, Badge, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { type Ref, useId } from 'react';
import { Link } from 'react-router';

import { postPath } from '../../../app/paths';
import { displayName } from '../../../components/ui/UserAvatar';
import type { PostSummary } from '../api/reading.api';
import { publishedDate, readingTime, SEPARATOR, unbroken } from '../reading.format';
import { MediaImage } from '../../media';
import classes from './PostCard.module.css';
import { Snippet } from './Snippet';

/** A word that says what a badge means (colour only repeats it). */
export function LabelBadge({ children }: { children: string }) {
  return (
    <Badge variant="outline" color="gray" c="var(--mantine-color-text)" radius="sm" miw="max-content">
      {children}
    </Badge>
  );
}

/**
 * A post in a list: its title (the link to it), who wrote it and when, how long it takes, and its
 * excerpt — or, in search results, the snippet around the match. `ref` is the title's link (focus
 * moves there when "Load more" brings it).
 */
export function PostCard({ post, ref }: { post: PostSummary; ref?: Ref<HTMLAnchorElement> }) {
  const titleId = useId();
  const similar = post.match?.by === 'similar';
  return (
    <Card component="article" withBorder radius="md" padding="lg" aria-labelledby={titleId}>
      {post.cover ? (
        <Card.Section mb="md">
          {/* Decoration here: the title says what the post is; its page gives the cover's alt text. */}
          <MediaImage image={post.cover} sizes="(max-width: 48em) 100vw, 48rem" alt="" className={classes.cover} />
        </Card.Section>
      ) : null}
      <Stack gap="xs">
        <Title order={3} id={titleId} size="h4">
          {/* inherit: the heading's size and weight (an anchor has the body text's of its own). */}
          <Anchor component={Link} to={postPath(post.slug)} ref={ref} c="inherit" inherit>
            {post.title}
          </Anchor>
        </Title>
        <Text size="sm" c="dimmed">
          By {displayName(post.author)}
          {post.publishedAt ? (
            <>
              {SEPARATOR}
              <time dateTime={post.publishedAt}>{unbroken(publishedDate(post.publishedAt))}</time>
            </>
          ) : null}
          {SEPARATOR}
          {unbroken(readingTime(post.readingTimeMinutes))}
          {post.category ? `${SEPARATOR}${post.category.name}` : null}
        </Text>
        {post.visibility === 'members' || post.featured || similar ? (
          <Group gap="xs">
            {post.featured ? <LabelBadge>Featured</LabelBadge> : null}
            {post.visibility === 'members' ? <LabelBadge>Members only</LabelBadge> : null}
            {similar ? <LabelBadge>Similar title</LabelBadge> : null}
          </Group>
        ) : null}
        {post.match ? (
          <Text data-testid="snippet" style={{ overflowWrap: 'anywhere' }}>
            <Snippet html={post.match.snippet} />
          </Text>
        ) : (
          <Text style={{ overflowWrap: 'anywhere' }}>{post.excerpt}</Text>
        )}
      </Stack>
    </Card>
  );
}

/** The shape of a card while the list loads (hidden from assistive tech: a status says "Loading"). */
export function PostCardSkeleton() {
  return (
    <Card withBorder radius="md" padding="lg" aria-hidden="true">
      <Stack gap="xs">
        <Skeleton height={22} width="70%" />
        <Skeleton height={14} width="45%" />
        <Skeleton height={14} />
        <Skeleton height={14} width="85%" />
      </Stack>
    </Card>
  );
}
