import type { ComponentType } from 'react';
import { Navigate, type RouteObject } from 'react-router';

import { PageLoader } from '../components/ui/PageLoader';
import { RequireAuth } from '../features/auth';
import { SetupNotice } from '../features/setup';
import { AppLayout } from './layout/AppLayout';
import { paths } from './paths';
import { RouteErrorPage } from './RouteErrorPage';

// One chunk per route group: every page of a group comes from the same lazily imported module.
const homeGroup = () => import('../features/home/home.routes');
const authGroup = () => import('../features/auth/auth.routes');
const setupGroup = () => import('../features/setup/setup.routes');
const readingGroup = () => import('../features/reading/reading.routes');
const profilesGroup = () => import('../features/profiles/profiles.routes');
const settingsGroup = () => import('../features/settings/settings.routes');
const writingGroup = () => import('../features/writing/writing.routes');
const adminGroup = () => import('../features/admin/admin.routes');
const statusGroup = () => import('../features/status/status.routes');
const commentsGroup = () => import('../features/comments/comments.routes');
const mediaGroup = () => import('../features/media/media.routes');
const notFoundGroup = () => import('../features/not-found/not-found.routes');

/** A route's `lazy`: loads the group's module and takes one component from it. */
const page =
  <M,>(load: () => Promise<M>, pick: (module: M) => ComponentType) =>
  async () => ({ Component: pick(await load()) });

export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      {
        // The header and footer show at once; the page area waits here for the first page's code.
        hydrateFallbackElement: <PageLoader />,
        children: [
          { index: true, lazy: page(homeGroup, (m) => m.HomePage) },
          { path: paths.status, lazy: page(statusGroup, (m) => m.StatusPage) },
          // The API's start-up log points here while the site has no administrator.
          { path: paths.setup, lazy: page(setupGroup, (m) => m.SetupPage) },
          { path: paths.posts, lazy: page(readingGroup, (m) => m.PostsPage) },
          { path: paths.post, lazy: page(readingGroup, (m) => m.PostPage) },
          { path: paths.categories, lazy: page(readingGroup, (m) => m.CategoriesPage) },
          { path: paths.category, lazy: page(readingGroup, (m) => m.CategoryPage) },
          { path: paths.tags, lazy: page(readingGroup, (m) => m.TagsPage) },
          { path: paths.tag, lazy: page(readingGroup, (m) => m.TagPage) },
          { path: paths.profile, lazy: page(profilesGroup, (m) => m.ProfilePage) },
          {
            // While no administrator exists, these pages say so and link to the setup page.
            element: <SetupNotice />,
            children: [
              { path: paths.signIn, lazy: page(authGroup, (m) => m.SignInPage) },
              { path: paths.signUp, lazy: page(authGroup, (m) => m.SignUpPage) },
            ],
          },
          // The mails link to these three: their paths are part of the API's contract (APP_URL + path).
          { path: paths.verifyEmail, lazy: page(authGroup, (m) => m.VerifyEmailPage) },
          { path: paths.confirmEmail, lazy: page(authGroup, (m) => m.ConfirmEmailChangePage) },
          { path: paths.forgotPassword, lazy: page(authGroup, (m) => m.ForgotPasswordPage) },
          { path: paths.resetPassword, lazy: page(authGroup, (m) => m.ResetPasswordPage) },
          // Visitors' display preferences (kept on the device); signed in, it leads to the settings tab.
          { path: paths.accessibility, lazy: page(settingsGroup, (m) => m.PublicAccessibilityPage) },
          {
            element: <RequireAuth />,
            children: [
              {
                path: paths.settings.root,
                lazy: page(settingsGroup, (m) => m.SettingsLayout),
                children: [
                  { index: true, element: <Navigate to={paths.settings.profile} replace /> },
                  { path: paths.settings.profile, lazy: page(settingsGroup, (m) => m.ProfileSettingsPage) },
                  // The "new sign-in" mail links here.
                  { path: paths.settings.sessions, lazy: page(settingsGroup, (m) => m.SessionsSettingsPage) },
                  { path: paths.settings.security, lazy: page(settingsGroup, (m) => m.SecuritySettingsPage) },
                  { path: paths.settings.tokens, lazy: page(settingsGroup, (m) => m.TokensSettingsPage) },
                  { path: paths.settings.account, lazy: page(settingsGroup, (m) => m.AccountSettingsPage) },
                  {
                    path: paths.settings.accessibility,
                    lazy: page(settingsGroup, (m) => m.AccessibilitySettingsPage),
                  },
                ],
              },
              {
                // Shown to those who may write posts (posts:create); others are told why not.
                lazy: page(writingGroup, (m) => m.WritingGate),
                children: [
                  { path: paths.write.root, lazy: page(writingGroup, (m) => m.MyPostsPage) },
                  // `/write/new` too (id "new"): one route, so the editor stays mounted when a new post gets its id.
                  { path: paths.write.post, lazy: page(writingGroup, (m) => m.EditorPage) },
                  { path: paths.write.revisions, lazy: page(writingGroup, (m) => m.RevisionsPage) },
                  { path: paths.write.revision, lazy: page(writingGroup, (m) => m.RevisionsPage) },
                  // The images for posts: open to the same writers (the API asks posts:create).
                  { path: paths.media, lazy: page(mediaGroup, (m) => m.MediaLibraryPage) },
                ],
              },
              {
                // Each admin page shows only to whoever holds the permission its API routes need (AdminLayout).
                path: paths.admin.root,
                lazy: page(adminGroup, (m) => m.AdminLayout),
                children: [
                  { index: true, lazy: page(adminGroup, (m) => m.DashboardPage) },
                  { path: paths.admin.users, lazy: page(adminGroup, (m) => m.UsersPage) },
                  { path: paths.admin.roles, lazy: page(adminGroup, (m) => m.RolesPage) },
                  { path: paths.admin.role, lazy: page(adminGroup, (m) => m.RoleEditorPage) },
                  { path: paths.admin.audit, lazy: page(adminGroup, (m) => m.AuditPage) },
                  { path: paths.admin.queues, lazy: page(adminGroup, (m) => m.QueuesPage) },
                  { path: paths.admin.categories, lazy: page(adminGroup, (m) => m.CategoriesPage) },
                  { path: paths.admin.tags, lazy: page(adminGroup, (m) => m.TagsPage) },
                ],
              },
              // The page itself tells those without `comments:moderate` that it is not for them.
              { path: paths.moderation, lazy: page(commentsGroup, (m) => m.ModerationPage) },
            ],
          },
          // The server answers every unknown path with index.html; the SPA owns the 404.
          { path: '*', lazy: page(notFoundGroup, (m) => m.NotFoundPage) },
        ],
      },
    ],
  },
];
