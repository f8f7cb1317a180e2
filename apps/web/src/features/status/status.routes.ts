// The status route group (`/status`: the ops page), loaded on demand: only src/app/routes.tsx imports this, lazily.
export { StatusPage } from './StatusPage';
