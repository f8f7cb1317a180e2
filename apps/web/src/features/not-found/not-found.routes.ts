// The not-found page, loaded on demand: only src/app/routes.tsx imports this, lazily.
export { NotFoundPage } from './NotFoundPage';
