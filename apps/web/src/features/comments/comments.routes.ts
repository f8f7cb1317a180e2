// The comments route group (the moderation queue), loaded on demand: only src/app/routes.tsx imports this, lazily.
export { ModerationPage } from './ModerationPage';
