// The reading route group (the feed and a post's page), loaded on demand: only src/app/routes.tsx imports this, lazily.
export { PostPage } from './PostPage';
export { PostsPage } from './PostsPage';
