// The status route group (the home page), loaded on demand: only src/app/routes.tsx imports this, lazily.
export { StatusPage } from './StatusPage';
