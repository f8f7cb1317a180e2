// The comments feature's public face: the section under a post (the reading pages render it).
// The moderation page is not here: it loads lazily through comments.routes.ts.
export { CommentsSection } from './components/CommentsSection';
