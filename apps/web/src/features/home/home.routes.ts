// The home route group (the public home page), loaded on demand: only src/app/routes.tsx imports this, lazily.
export { HomePage } from './HomePage';
