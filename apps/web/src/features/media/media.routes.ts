// The media route group (the library page), loaded on demand: only src/app/routes.tsx imports this, lazily.
export { MediaLibraryPage } from './MediaLibraryPage';
