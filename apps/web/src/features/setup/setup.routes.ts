// The setup route group (first-run setup), loaded on demand: only src/app/routes.tsx imports this, lazily.
export { SetupPage } from './SetupPage';
