// The reading feature's public face for other features (pages load through reading.routes.ts).
export { PostFeed, type PostFeedProps } from './components/PostFeed';
export { FeedLink } from './components/FeedLink';
