// The public profiles route group (`/u/:username`), loaded on demand: only src/app/routes.tsx imports this, lazily.
export { ProfilePage } from './ProfilePage';
