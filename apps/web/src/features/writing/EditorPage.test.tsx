import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { detailedErrorEnvelope, envelope, errorEnvelope, meOf } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import type { EditablePost } from './api/writing.api';
import { EditorPage } from './EditorPage';
import { categories, draft, POST_ID, tagsEnvelope } from './test-fixtures';

const renderEditor = (path: string) => {
  rememberSignIn();
  return renderPage(
    [
      { path: paths.write.post, element: <EditorPage /> },
      { path: paths.write.root, element: <h1>My posts list</h1> },
    ],
    path,
  );
};

/** What every editor asks besides the post: the session, the caller's permissions, categories and tags. */
const editorApi = [
  ...signedInApi(),
  api.get('/api/v1/auth/me', () => json(envelope(meOf()))),
  api.get('/api/v1/categories', () => json(envelope(categories))),
  api.get('/api/v1/tags', () => json(tagsEnvelope())),
  api.get('/api/v1/posts/{id}/accessibility', () => json(envelope({ ok: true, problems: [] }))),
];

/** The post as the server holds it (its version gives its ETag). */
function serverPost(initial: EditablePost) {
  let post = initial;
  return {
    get current() {
      return post;
    },
    set(next: EditablePost) {
      post = next;
    },
    read: api.get('/api/v1/posts/{id}', () => json(envelope(post), 200, { ETag: `W/"v${post.version}"` })),
  };
}

describe('The editor', () => {
  it('saves a new post (POST), then edits it with If-Match from the ETag it read, and moves to its address', async () => {
    const user = userEvent.setup({ delay: null });
    const server = serverPost(draft({ title: 'Lights', body: 'Lamps.' }));
    useApi(
      ...editorApi,
      server.read,
      api.post('/api/v1/posts', () => json(envelope(server.current), 201)),
      api.patch('/api/v1/posts/{id}', async ({ request }) => {
        const changes = (await request.clone().json()) as { body?: string };
        server.set({
          ...server.current,
          body: changes.body ?? server.current.body,
          version: server.current.version + 1,
        });
        return json(envelope(server.current));
      }),
    );
    const { router } = renderEditor('/write/new');

    expect(await screen.findByRole('heading', { level: 1, name: 'New post' })).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: /^Title/ }), 'Lights');
    await user.type(screen.getByRole('textbox', { name: /^Text \(Markdown\)/ }), 'Lamps.');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));

    expect(await screen.findByText('Draft saved.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo('/api/v1/posts')[0])).toMatchObject({
      title: 'Lights',
      body: 'Lamps.',
      visibility: 'public',
    });
    await waitFor(() => expect(router.state.location.pathname).toBe(`/write/${POST_ID}`));
    expect(screen.getByTestId('save-status')).toHaveTextContent(/^Saved at /);
    // The address is editable now, with the slug the API made.
    expect(screen.getByRole('textbox', { name: /Address \(slug\)/ })).toHaveValue(server.current.slug);

    // The next save edits the post, with the ETag read after the first one.
    await user.type(screen.getByRole('textbox', { name: /^Text \(Markdown\)/ }), ' On.');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() =>
      expect(requestsTo(`/api/v1/posts/${POST_ID}`).filter((r) => r.method === 'PATCH')).toHaveLength(1),
    );
    const patch = requestsTo(`/api/v1/posts/${POST_ID}`).find((r) => r.method === 'PATCH');
    expect(patch?.headers.get('if-match')).toBe('W/"v1"');
    expect(await bodyOf(patch)).toMatchObject({ body: 'Lamps. On.' });
    expect(requestsTo('/api/v1/posts')).toHaveLength(1);
  });

  it('formats the selected words from the toolbar and with Ctrl+B', async () => {
    const user = userEvent.setup({ delay: null });
    const server = serverPost(draft({ body: 'The tide turns.' }));
    useApi(...editorApi, server.read);
    renderEditor(`/write/${POST_ID}`);

    const body = await screen.findByRole<HTMLTextAreaElement>('textbox', { name: /^Text \(Markdown\)/ });
    body.setSelectionRange(4, 8);
    await user.click(screen.getByRole('button', { name: 'Italic' }));
    expect(body).toHaveValue('The _tide_ turns.');

    body.focus();
    body.setSelectionRange(11, 16);
    await user.keyboard('{Control>}b{/Control}');
    expect(body).toHaveValue('The _tide_ **turns**.');
    // One stop in the tab order; arrow keys move along the toolbar.
    const toolbar = screen.getByRole('toolbar', { name: 'Formatting' });
    expect(
      within(toolbar)
        .getAllByRole('button')
        .filter((button) => button.tabIndex === 0),
    ).toHaveLength(1);
  });

  it('saves a draft by itself a few seconds after typing stops, and says when', async () => {
    const user = userEvent.setup({ delay: null });
    const server = serverPost(draft());
    useApi(
      ...editorApi,
      server.read,
      api.patch('/api/v1/posts/{id}', async ({ request }) => {
        const changes = (await request.clone().json()) as { body?: string };
        server.set({
          ...server.current,
          body: changes.body ?? server.current.body,
          version: server.current.version + 1,
        });
        return json(envelope(server.current));
      }),
    );
    renderEditor(`/write/${POST_ID}`);

    const body = await screen.findByRole('textbox', { name: /^Text \(Markdown\)/ });
    await user.type(body, ' Then it empties.');
    expect(screen.getByTestId('save-status')).toHaveTextContent(/Unsaved changes/);
    expect(requestsTo(`/api/v1/posts/${POST_ID}`).filter((r) => r.method === 'PATCH')).toHaveLength(0);

    await waitFor(() => expect(screen.getByTestId('save-status')).toHaveTextContent(/^Saved at /), { timeout: 6000 });
    const patches = requestsTo(`/api/v1/posts/${POST_ID}`).filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0].headers.get('if-match')).toBe('W/"v1"');
    expect(await bodyOf(patches[0])).toMatchObject({ body: `${draft().body} Then it empties.` });
    // An autosave is said in the status line (polite), not in a toast.
    expect(screen.getByTestId('save-status')).toHaveAttribute('aria-live', 'polite');
    expect(screen.queryByText('Draft saved.')).not.toBeInTheDocument();
  });

  it('shows both versions on 412 and keeps mine, sent with their version’s ETag', async () => {
    const user = userEvent.setup({ delay: null });
    const server = serverPost(draft());
    useApi(
      ...editorApi,
      server.read,
      api.patch('/api/v1/posts/{id}', ({ request }) =>
        request.headers.get('if-match') === `W/"v${server.current.version}"`
          ? json(envelope({ ...server.current, title: 'Mine', version: server.current.version + 1 }))
          : json(errorEnvelope('PRECONDITION_FAILED', 'The post changed since you read it', 'req-412'), 412),
      ),
    );
    renderEditor(`/write/${POST_ID}`);

    const title = await screen.findByRole('textbox', { name: /^Title/ });
    // Someone else saves meanwhile.
    server.set({ ...server.current, title: 'Their title', body: 'Their text.', version: 2 });
    await user.clear(title);
    await user.type(title, 'Mine');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));

    const heading = await screen.findByRole('heading', {
      level: 2,
      name: 'Someone else saved this post while you were editing',
    });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(await screen.findByRole('textbox', { name: 'Their version: text' })).toHaveValue('Their text.');
    expect(screen.getByRole('textbox', { name: 'Your version: text' })).toHaveValue(draft().body);
    expect(screen.getByText('Their title')).toBeInTheDocument();
    expect(screen.getByTestId('save-status')).toHaveTextContent('Not saved: the post changed elsewhere.');

    await user.click(screen.getByRole('button', { name: 'Keep mine' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: /Someone else saved/ })).not.toBeInTheDocument());
    const patches = requestsTo(`/api/v1/posts/${POST_ID}`).filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.headers.get('if-match'))).toEqual(['W/"v1"', 'W/"v2"']);
    // Mine replaces theirs: the title and the body as on screen.
    expect(await bodyOf(patches[1])).toMatchObject({ title: 'Mine', body: draft().body });
  });

  it('takes their version into the editor when asked', async () => {
    const user = userEvent.setup({ delay: null });
    const server = serverPost(draft());
    useApi(
      ...editorApi,
      server.read,
      api.patch('/api/v1/posts/{id}', () =>
        json(errorEnvelope('PRECONDITION_FAILED', 'The post changed since you read it', 'req-412'), 412),
      ),
    );
    renderEditor(`/write/${POST_ID}`);

    const title = await screen.findByRole('textbox', { name: /^Title/ });
    server.set({ ...server.current, title: 'Their title', body: 'Their text.', version: 2 });
    await user.type(title, ' (mine)');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await user.click(await screen.findByRole('button', { name: 'Take theirs' }));

    expect(screen.getByRole('textbox', { name: /^Title/ })).toHaveValue('Their title');
    expect(screen.getByRole('textbox', { name: /^Text \(Markdown\)/ })).toHaveValue('Their text.');
    expect(screen.queryByRole('heading', { name: /Someone else saved/ })).not.toBeInTheDocument();
    expect(screen.getByTestId('save-status')).not.toHaveTextContent(/Unsaved/);
  });

  it('lists the accessibility problems in words when publishing is refused', async () => {
    const user = userEvent.setup({ delay: null });
    const server = serverPost(draft());
    useApi(
      ...editorApi,
      server.read,
      api.post('/api/v1/posts/{id}/publish', () =>
        json(
          detailedErrorEnvelope(
            'ACCESSIBILITY_PROBLEMS',
            'The post has accessibility problems',
            [
              { field: 'body', code: 'IMAGE_WITHOUT_ALT', message: 'Describe the image “harbour.png” in its alt text' },
              { field: 'body', code: 'LINK_TEXT_VAGUE', message: 'Say where the link “click here” leads' },
            ],
            'req-422',
          ),
          422,
        ),
      ),
    );
    renderEditor(`/write/${POST_ID}`);

    await user.click(await screen.findByRole('button', { name: 'Publish' }));

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Not published: 2 problems to fix before publishing')).toBeInTheDocument();
    const items = within(alert).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('An image has no description: Describe the image “harbour.png” in its alt text');
    expect(items[1]).toHaveTextContent('A link’s text says nothing on its own: Say where the link “click here” leads');
    await waitFor(() => expect(alert).toHaveFocus());
    // Still a draft.
    expect(screen.getByText('Draft')).toBeInTheDocument();
  });

  it('publishes a draft and says so', async () => {
    const user = userEvent.setup({ delay: null });
    const server = serverPost(draft());
    useApi(
      ...editorApi,
      server.read,
      api.post('/api/v1/posts/{id}/publish', () => {
        server.set({ ...server.current, status: 'published', publishedAt: '2025-06-14T11:00:00.000Z', version: 2 });
        return json(envelope(server.current));
      }),
    );
    renderEditor(`/write/${POST_ID}`);
    // The status is the word alone: no icon before it (a neutral status's mark read as "− Draft").
    const statusLine = async () => (await screen.findByText('Status:')).closest('div');
    expect(await statusLine()).toHaveTextContent(/^Status:\s*Draft$/);
    expect((await statusLine())?.querySelector('svg')).toBeNull();

    await user.click(await screen.findByRole('button', { name: 'Publish' }));

    expect(await screen.findByText('Post published.')).toBeInTheDocument();
    expect(await statusLine()).toHaveTextContent(/^Status:\s*Published$/);
    expect((await statusLine())?.querySelector('svg')).toBeNull();
    expect(screen.getByRole('link', { name: 'View the post' })).toHaveAttribute(
      'href',
      `/posts/${server.current.slug}`,
    );
    expect(screen.getByRole('button', { name: 'Unpublish' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Archive' })).toBeInTheDocument();
  });

  it('shows the server’s field errors at the field', async () => {
    const user = userEvent.setup({ delay: null });
    const server = serverPost(draft());
    useApi(
      ...editorApi,
      server.read,
      api.patch('/api/v1/posts/{id}', () =>
        json(
          detailedErrorEnvelope('CONFLICT', 'This slug is taken by another post', [
            { field: 'slug', code: 'TAKEN', message: 'This slug is taken by another post' },
          ]),
          409,
        ),
      ),
    );
    renderEditor(`/write/${POST_ID}`);

    const slug = await screen.findByRole('textbox', { name: /Address \(slug\)/ });
    await user.clear(slug);
    await user.type(slug, 'taken-slug');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));

    expect(await screen.findByText('This slug is taken by another post.')).toBeInTheDocument();
    await waitFor(() => expect(slug).toHaveFocus());
    expect(slug).toHaveAttribute('aria-invalid', 'true');
  });
  it('asks before leaving with unsaved changes, and stays or leaves as told', async () => {
    const user = userEvent.setup({ delay: null });
    const server = serverPost(draft());
    useApi(...editorApi, server.read);
    const { router } = renderEditor(`/write/${POST_ID}`);

    await user.type(await screen.findByRole('textbox', { name: /^Title/ }), '!');
    await user.click(screen.getByRole('link', { name: 'My posts' }));
    const dialog = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    await user.click(within(dialog).getByRole('button', { name: 'Stay and keep editing' }));
    expect(router.state.location.pathname).toBe(`/write/${POST_ID}`);
    expect(screen.getByRole('textbox', { name: /^Title/ })).toHaveValue(`${draft().title}!`);

    await user.click(screen.getByRole('link', { name: 'My posts' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Leave without saving?' })).getByRole('button', {
        name: 'Leave and lose changes',
      }),
    );
    expect(await screen.findByRole('heading', { name: 'My posts list' })).toBeInTheDocument();
    expect(requestsTo(`/api/v1/posts/${POST_ID}`).filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('saves and then leaves when asked to in the unsaved-changes question', async () => {
    const user = userEvent.setup({ delay: null });
    const server = serverPost(draft());
    useApi(
      ...editorApi,
      server.read,
      api.patch('/api/v1/posts/{id}', async ({ request }) => {
        const changes = (await request.clone().json()) as { title?: string };
        server.set({ ...server.current, title: changes.title ?? server.current.title, version: 2 });
        return json(envelope(server.current));
      }),
    );
    renderEditor(`/write/${POST_ID}`);

    await user.type(await screen.findByRole('textbox', { name: /^Title/ }), '!');
    await user.click(screen.getByRole('link', { name: 'My posts' }));
    const dialog = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    await user.click(within(dialog).getByRole('button', { name: 'Save and leave' }));

    expect(await screen.findByRole('heading', { name: 'My posts list' })).toBeInTheDocument();
    const patch = requestsTo(`/api/v1/posts/${POST_ID}`).find((r) => r.method === 'PATCH');
    expect(await bodyOf(patch)).toMatchObject({ title: `${draft().title}!` });
  });

  it('deletes a post after confirmation and goes back to My posts', async () => {
    const user = userEvent.setup({ delay: null });
    const server = serverPost(draft());
    useApi(
      ...editorApi,
      server.read,
      api.delete('/api/v1/posts/{id}', () => json(envelope({ message: 'Post deleted' }))),
    );
    renderEditor(`/write/${POST_ID}`);

    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this post?' });
    expect(requestsTo(`/api/v1/posts/${POST_ID}`).filter((r) => r.method === 'DELETE')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Delete post' }));

    expect(await screen.findByRole('heading', { name: 'My posts list' })).toBeInTheDocument();
    expect(screen.getByText(`“${draft().title}” was deleted.`)).toBeInTheDocument();
    expect(requestsTo(`/api/v1/posts/${POST_ID}`).filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });

  it('says when the post does not exist', async () => {
    useApi(
      ...editorApi,
      api.get('/api/v1/posts/{id}', () => json(errorEnvelope('NOT_FOUND', 'No such post', 'req-404'), 404)),
    );
    renderEditor(`/write/${POST_ID}`);

    expect(await screen.findByRole('heading', { level: 1, name: 'Post not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to my posts' })).toHaveAttribute('href', paths.write.root);
  });
});
