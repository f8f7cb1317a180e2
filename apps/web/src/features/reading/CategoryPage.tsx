import { Anchor, Breadcrumbs, Group, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { Link, useParams } from 'react-router';

import { categoryPath, feedPath, paths, postsPath } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import type { CategoryNode } from './api/reading.api';
import { useCategories } from './api/reading.queries';
import { BrowseCategories, BrowseSection, CategoryTree, postCount, usePreferredLevel } from './components/Browse';
import { FeedLink } from './components/FeedLink';
import { PostFeed } from './components/PostFeed';

/** The category at `slug` and the categories above it, outermost first; `undefined` when none has it. */
export function findCategory(
  nodes: CategoryNode[],
  slug: string,
  above: CategoryNode[] = [],
): CategoryNode[] | undefined {
  for (const node of nodes) {
    if (node.slug === slug) return [...above, node];
    const found = findCategory(node.children, slug, [...above, node]);
    if (found) return found;
  }
  return undefined;
}

/**
 * A category: where it sits, its name and description, the categories below it, its RSS feed, and
 * its published posts (with those of the categories below it), newest first; every category
 * below, to browse on.
 */
export function CategoryPage() {
  const { slug = '' } = useParams();
  const categories = useCategories();
  const { readingLevel, notice } = usePreferredLevel();

  if (categories.isPending) return <TaxonomySkeleton label="Loading the category…" />;
  if (categories.isError) {
    return (
      <Stack gap="lg">
        <title>Category · Atrium</title>
        <Title order={1}>Category</Title>
        <ApiErrorAlert
          title="Could not load this category"
          error={categories.error}
          onRetry={() => void categories.refetch()}
          retrying={categories.isFetching}
        />
      </Stack>
    );
  }
  const trail = findCategory(categories.data, slug);
  const category = trail?.at(-1);
  if (!trail || !category) {
    return (
      <NotFound kind="Category" backTo={paths.categories} backLabel="All categories">
        No category lives at this address. It may have been renamed or removed.
      </NotFound>
    );
  }

  return (
    <Stack gap="lg">
      <title>{`${category.name} · Atrium`}</title>
      <Stack gap="xs">
        <Breadcrumbs component="nav" aria-label="Where this category is" separator="›" style={{ flexWrap: 'wrap' }}>
          <Anchor component={Link} to={paths.categories} size="sm">
            Categories
          </Anchor>
          {trail.slice(0, -1).map((node) => (
            <Anchor key={node.id} component={Link} to={categoryPath(node.slug)} size="sm">
              {node.name}
            </Anchor>
          ))}
        </Breadcrumbs>
        <Title order={1} style={{ overflowWrap: 'anywhere' }}>
          {category.name}
        </Title>
        {category.description ? <Text style={{ overflowWrap: 'anywhere' }}>{category.description}</Text> : null}
        <Group gap="md" wrap="wrap">
          <Text size="sm" c="dimmed">
            {postCount(category.postCount)}
          </Text>
          <FeedLink
            href={feedPath({ category: category.slug })}
            label="RSS feed of this category"
            alternate={`${category.name} — newest posts`}
          />
          <Anchor component={Link} to={postsPath({ category: category.slug })} size="sm">
            Search or filter these posts
          </Anchor>
        </Group>
      </Stack>

      {category.children.length > 0 ? (
        <BrowseSection title={`In ${category.name}`}>
          {(headingId) => <CategoryTree nodes={category.children} labelledBy={headingId} />}
        </BrowseSection>
      ) : null}

      {notice}
      <PostFeed
        filter={{ category: category.slug, ...(readingLevel ? { readingLevel } : {}) }}
        heading={`Posts in ${category.name}, newest first`}
        empty={
          <Text>
            {readingLevel ? 'No post here is at your reading level yet.' : 'Nothing has been published here yet.'}
          </Text>
        }
      />

      <BrowseCategories current={category.slug} />
    </Stack>
  );
}

/** A category's or tag's shape while it loads. */
export function TaxonomySkeleton({ label }: { label: string }) {
  return (
    <Stack gap="lg">
      <div role="status">
        <VisuallyHidden>{label}</VisuallyHidden>
      </div>
      <Stack gap="sm" aria-hidden="true">
        <Skeleton height={14} width={160} />
        <Skeleton height={36} width="50%" />
        <Skeleton height={14} width="70%" />
      </Stack>
    </Stack>
  );
}

/** No category or tag at this address. */
export function NotFound({
  kind,
  backTo,
  backLabel,
  children,
}: {
  kind: string;
  backTo: string;
  backLabel: string;
  children: string;
}) {
  return (
    <Stack gap="md" maw={640} align="flex-start">
      <title>{`${kind} not found · Atrium`}</title>
      <Title order={1}>{`${kind} not found`}</Title>
      <Text>{children}</Text>
      <Anchor component={Link} to={backTo}>
        {backLabel}
      </Anchor>
    </Stack>
  );
}
