// The administration route group, loaded on demand: only src/app/routes.tsx imports this, lazily.
export { AdminLayout } from './AdminLayout';
export { AuditPage } from './AuditPage';
export { CategoriesPage } from './CategoriesPage';
export { DashboardPage } from './DashboardPage';
export { QueuesPage } from './QueuesPage';
export { RoleEditorPage } from './RoleEditorPage';
export { RolesPage } from './RolesPage';
export { TagsPage } from './TagsPage';
export { UsersPage } from './UsersPage';
