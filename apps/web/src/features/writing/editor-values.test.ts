import { describe, expect, it } from 'vitest';

import { changesOf, EMPTY_VALUES, type EditorValues, newPostOf, reconcile } from './editor-values';

const values = (overrides: Partial<EditorValues>): EditorValues => ({ ...EMPTY_VALUES, ...overrides });

describe('What the editor sends', () => {
  it('sends a new post’s filled-in fields only (and the three the spec requires)', () => {
    expect(newPostOf(values({ title: 'Tides', body: 'Text', tagIds: ['t1'] }))).toEqual({
      title: 'Tides',
      body: 'Text',
      visibility: 'public',
      featured: false,
      commentsOpen: true,
      tagIds: ['t1'],
    });
  });

  it('sends an edit’s changes: an emptied excerpt as null (derived again), no category as null, an empty slug not at all', () => {
    const saved = values({ title: 'Tides', excerpt: 'Old', categoryId: 'c1', slug: 'tides' });
    expect(changesOf(saved, { ...saved, title: 'Tides!', excerpt: '', categoryId: '', slug: '' })).toEqual({
      title: 'Tides!',
      excerpt: null,
      categoryId: null,
      visibility: 'public',
      featured: false,
      commentsOpen: true,
    });
  });

  it('after a save, takes the server’s values for untouched fields and keeps what was typed meanwhile', () => {
    const sent = values({ title: 'Tides', body: 'Text' });
    const current = values({ title: 'Tides', body: 'Text, and more' });
    const server = values({ title: 'Tides', body: 'Text', slug: 'tides', excerpt: 'Text' });
    const { saved, current: next } = reconcile(sent, current, server);
    expect(saved).toEqual(server);
    expect(next).toEqual({ ...server, body: 'Text, and more' });
  });
});
