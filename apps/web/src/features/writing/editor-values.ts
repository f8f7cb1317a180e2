import type { EditablePost, NewPost, PostChanges, PostVisibility } from './api/writing.api';

/** What the editor's form holds (strings for the inputs; '' for "none"). */
// A type, not an interface: forms take records of fields.
export type EditorValues = {
  title: string;
  slug: string;
  body: string;
  excerpt: string;
  categoryId: string;
  tagIds: string[];
  visibility: PostVisibility;
  featured: boolean;
  commentsOpen: boolean;
  /** The cover image's id in the media library ('' for none). */
  coverMediaId: string;
};

export const EMPTY_VALUES: EditorValues = {
  title: '',
  slug: '',
  body: '',
  excerpt: '',
  categoryId: '',
  tagIds: [],
  visibility: 'public',
  featured: false,
  commentsOpen: true,
  coverMediaId: '',
};

export const MAX_TAGS = 10;
export const TITLE_MAX = 200;
export const EXCERPT_MAX = 500;
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function valuesOf(post: EditablePost): EditorValues {
  return {
    title: post.title,
    slug: post.slug,
    body: post.body,
    excerpt: post.excerpt,
    categoryId: post.category?.id ?? '',
    tagIds: post.tags.map((tag) => tag.id),
    visibility: post.visibility,
    featured: post.featured,
    commentsOpen: post.commentsOpen,
    coverMediaId: post.cover?.id ?? '',
  };
}

const same = (a: EditorValues[keyof EditorValues], b: EditorValues[keyof EditorValues]) =>
  Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;

export const FIELDS = Object.keys(EMPTY_VALUES) as (keyof EditorValues)[];

export const changedFields = (from: EditorValues, to: EditorValues): (keyof EditorValues)[] =>
  FIELDS.filter((field) => !same(from[field], to[field]));

/** The request body of a new post: what was filled in (the slug comes from the title). */
export function newPostOf(values: EditorValues): NewPost {
  return {
    title: values.title,
    body: values.body,
    visibility: values.visibility,
    featured: values.featured,
    commentsOpen: values.commentsOpen,
    ...(values.excerpt.trim() ? { excerpt: values.excerpt } : {}),
    ...(values.categoryId ? { categoryId: values.categoryId } : {}),
    ...(values.tagIds.length ? { tagIds: values.tagIds } : {}),
    ...(values.coverMediaId ? { coverMediaId: values.coverMediaId } : {}),
  };
}

/**
 * The request body of an edit: what changed since the last save. The spec marks visibility,
 * featured and commentsOpen as required (they have defaults), so those three always go along, as
 * the writer sees them.
 */
export function changesOf(saved: EditorValues, values: EditorValues): PostChanges {
  const changes: PostChanges = {
    visibility: values.visibility,
    featured: values.featured,
    commentsOpen: values.commentsOpen,
  };
  for (const field of changedFields(saved, values)) {
    switch (field) {
      case 'excerpt':
        // Empty: the API derives the excerpt from the body again.
        changes.excerpt = values.excerpt.trim() ? values.excerpt : null;
        break;
      case 'categoryId':
        changes.categoryId = values.categoryId || null;
        break;
      case 'coverMediaId':
        // Empty: the cover is taken off.
        changes.coverMediaId = values.coverMediaId || null;
        break;
      case 'slug':
        // Left empty: the slug stays as it is.
        if (values.slug) changes.slug = values.slug;
        break;
      default:
        Object.assign(changes, { [field]: values[field] });
    }
  }
  return changes;
}

/**
 * After a save: fields the writer has not touched since sending take the server's value (the
 * slug it made, the excerpt it derived from the text); fields changed meanwhile keep the writer's.
 */
export function reconcile(
  sent: EditorValues,
  current: EditorValues,
  server: EditorValues,
): { saved: EditorValues; current: EditorValues } {
  const next = { ...current };
  for (const field of FIELDS) {
    if (same(current[field], sent[field])) Object.assign(next, { [field]: server[field] });
  }
  return { saved: server, current: next };
}
