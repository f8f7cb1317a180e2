/**
 * Every client route's path, in one place: routes are declared with these and links are built
 * from them, so a path is renamed once. The mails link to `verifyEmail`, `confirmEmail`, `resetPassword` and
 * `settings.sessions` (APP_URL + path), and the API's start-up log to `setup`: those are part of
 * the API's contract and keep their paths.
 */
export const paths = {
  home: '/',
  /** The ops page: what the instance runs and whether it is ready. */
  status: '/status',
  /** First-run setup: the first admin, while none exists (the start-up log points here: APP_URL + path). */
  setup: '/setup',
  /** The feed of published posts (filters and search in the query: `postsPath()`). */
  posts: '/posts',
  /** One post by its slug; build links with `postPath(slug)`. */
  post: '/posts/:slug',
  /** Every category, as a tree (the category pages link from it). */
  categories: '/categories',
  /** One category: its posts and those of the categories below it; build links with `categoryPath(slug)`. */
  category: '/categories/:slug',
  /** The tags, most used first. */
  tags: '/tags',
  /** One tag's posts; build links with `tagPath(slug)`. */
  tag: '/tags/:slug',
  /** A member's public profile; build links with `profilePath(username)`. */
  profile: '/u/:username',
  /** The comments moderation queue (`comments:moderate`). */
  moderation: '/moderation',
  signIn: '/sign-in',
  signUp: '/sign-up',
  verifyEmail: '/verify-email',
  /** The link mailed to the new address of an email change (APP_URL + path). */
  confirmEmail: '/confirm-email',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  /** The media library: the signed-in author's images (upload, alt text, delete). */
  media: '/media',
  /** Display and accessibility preferences for visitors (signed in: `settings.accessibility`). */
  accessibility: '/accessibility',
  /** Writing: the signed-in author's posts, and the editor (`editPostPath(id)`; `write.new` for a new post). */
  write: {
    root: '/write',
    new: '/write/new',
    post: '/write/:id',
    revisions: '/write/:id/revisions',
    revision: '/write/:id/revisions/:revisionId',
  },
  settings: {
    root: '/settings',
    profile: '/settings/profile',
    sessions: '/settings/sessions',
    security: '/settings/security',
    tokens: '/settings/tokens',
    account: '/settings/account',
    accessibility: '/settings/accessibility',
  },
  /** Administration: each page needs the permission of the API route it reads (features/admin/sections.ts). */
  admin: {
    root: '/admin',
    users: '/admin/users',
    roles: '/admin/roles',
    /** One role's editor; build links with `adminRolePath(id)` (`new` makes one). */
    role: '/admin/roles/:roleId',
    audit: '/admin/audit',
    queues: '/admin/queues',
    categories: '/admin/categories',
    tags: '/admin/tags',
  },
} as const;

/** The editor of the role `id` (`'new'`: a new role). */
export const adminRolePath = (id: string): string => `/admin/roles/${encodeURIComponent(id)}`;

/** The public profile page of `username`. */
export const profilePath = (username: string): string => `/u/${encodeURIComponent(username)}`;

/** The page of the post at `slug`. */
export const postPath = (slug: string): string => `/posts/${encodeURIComponent(slug)}`;

/** The page of the category at `slug`. */
export const categoryPath = (slug: string): string => `/categories/${encodeURIComponent(slug)}`;

/** The page of the tag at `slug`. */
export const tagPath = (slug: string): string => `/tags/${encodeURIComponent(slug)}`;

/** The editor of the post with this id. */
export const editPostPath = (id: string): string => `/write/${encodeURIComponent(id)}`;

/** A post's revisions, or one of them. */
export const revisionsPath = (id: string, revisionId?: string): string =>
  `/write/${encodeURIComponent(id)}/revisions${revisionId ? `/${encodeURIComponent(revisionId)}` : ''}`;

/** What the feed at `/posts` can be narrowed to (its query string). */
export interface PostsFilter {
  /** A category's slug (its posts and those of the categories below it). */
  category?: string;
  /** A tag's slug. */
  tag?: string;
}

/** The feed, narrowed to a category or a tag: `/posts?category=coast`. */
export function postsPath(filter: PostsFilter = {}): string {
  const query = new URLSearchParams();
  if (filter.category) query.set('category', filter.category);
  if (filter.tag) query.set('tag', filter.tag);
  const search = query.toString();
  return search ? `${paths.posts}?${search}` : paths.posts;
}

/** Pages the server itself answers (not client routes): links to them are full navigations. */
export const serverPaths = {
  /** The API reference (Scalar: accessible, phone-friendly). */
  apiReference: '/reference',
  /** Swagger UI, for trying calls. */
  swaggerUi: '/docs',
  /** The RSS 2.0 feed of the newest public posts (`feedPath()` narrows it). */
  rssFeed: '/feed.xml',
} as const;

/** What an RSS feed can be narrowed to: what `/posts` can, or an author (by username). */
export interface FeedPathFilter extends PostsFilter {
  author?: string;
}

/**
 * The RSS feed of the newest public posts, of a category (and those below it), a tag or an
 * author: `/feed.xml?tag=coast`, `/feed.xml?author=ada`.
 */
export function feedPath(filter: FeedPathFilter = {}): string {
  const query = new URLSearchParams();
  if (filter.category) query.set('category', filter.category);
  if (filter.tag) query.set('tag', filter.tag);
  if (filter.author) query.set('author', filter.author);
  const search = query.toString();
  return search ? `${serverPaths.rssFeed}?${search}` : serverPaths.rssFeed;
}
