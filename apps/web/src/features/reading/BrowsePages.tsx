import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

import { paths } from '../../app/paths';
import { BrowseCategories, BrowseTags } from './components/Browse';

/** Every category (a tree, each with its published posts), and the popular tags. */
export function CategoriesPage() {
  return (
    <Stack gap="xl" maw={760}>
      <title>Categories · Atrium</title>
      <Stack gap="xs">
        <Title order={1}>Categories</Title>
        <Text>Each category gathers its posts and those of the categories under it.</Text>
        <Group gap="md">
          <Anchor component={Link} to={paths.posts} size="sm">
            Latest posts
          </Anchor>
          <Anchor component={Link} to={paths.tags} size="sm">
            Tags
          </Anchor>
        </Group>
      </Stack>
      <BrowseCategories title="Every category" />
      <BrowseTags />
    </Stack>
  );
}

/** The most used tags, and the categories. */
export function TagsPage() {
  return (
    <Stack gap="xl" maw={760}>
      <title>Tags · Atrium</title>
      <Stack gap="xs">
        <Title order={1}>Tags</Title>
        <Text>Labels the authors gave their posts, the most used first.</Text>
        <Group gap="md">
          <Anchor component={Link} to={paths.posts} size="sm">
            Latest posts
          </Anchor>
          <Anchor component={Link} to={paths.categories} size="sm">
            Categories
          </Anchor>
        </Group>
      </Stack>
      <BrowseTags title="Most used tags" />
      <BrowseCategories />
    </Stack>
  );
}
