// The writing route group (my posts, the editor, revisions), loaded on demand: only src/app/routes.tsx imports this, lazily.
export { EditorPage } from './EditorPage';
export { MyPostsPage } from './MyPostsPage';
export { RevisionsPage } from './RevisionsPage';
export { WritingGate } from './WritingGate';
