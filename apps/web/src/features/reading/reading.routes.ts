// The reading route group (the feed, a post's page, the categories and tags), loaded on demand: only src/app/routes.tsx imports this, lazily.
export { CategoriesPage, TagsPage } from './BrowsePages';
export { CategoryPage } from './CategoryPage';
export { PostPage } from './PostPage';
export { PostsPage } from './PostsPage';
export { TagPage } from './TagPage';
