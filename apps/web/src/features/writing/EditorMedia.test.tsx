import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { envelope, meOf } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { mediaId, mediaItem, mediaListEnvelope } from '../media';
import type { EditablePost } from './api/writing.api';
import { EditorPage } from './EditorPage';
import { categories, draft, POST_ID, tagsEnvelope } from './test-fixtures';

const renderEditor = () => {
  rememberSignIn();
  return renderPage(
    [
      { path: paths.write.post, element: <EditorPage /> },
      { path: paths.write.root, element: <h1>My posts list</h1> },
    ],
    `/write/${POST_ID}`,
  );
};

/** The editor's own calls, the post (its version gives its ETag) and a library of two images. */
function editorWith(initial: EditablePost) {
  let post = initial;
  const lighthouse = mediaItem(1, { altText: 'A lighthouse at dusk' });
  const gull = mediaItem(2, { altText: null });
  return {
    lighthouse,
    gull,
    get post() {
      return post;
    },
    handlers: [
      ...signedInApi(),
      api.get('/api/v1/auth/me', () => json(envelope(meOf()))),
      api.get('/api/v1/categories', () => json(envelope(categories))),
      api.get('/api/v1/tags', () => json(tagsEnvelope())),
      api.get('/api/v1/posts/{id}/accessibility', () => json(envelope({ ok: true, problems: [] }))),
      api.get('/api/v1/posts/{id}', () => json(envelope(post), 200, { ETag: `W/"v${post.version}"` })),
      api.get('/api/v1/media', () => json(mediaListEnvelope([lighthouse, gull]))),
      api.patch('/api/v1/media/{id}', async ({ request, params }) => {
        const changes = (await request.clone().json()) as { altText?: string };
        const item = params.id === gull.id ? gull : lighthouse;
        return json(envelope({ ...item, ...changes }));
      }),
      api.patch('/api/v1/posts/{id}', async ({ request }) => {
        const changes = (await request.clone().json()) as { coverMediaId?: string | null };
        const cover =
          changes.coverMediaId === undefined
            ? post.cover
            : changes.coverMediaId === null
              ? null
              : { ...lighthouse, id: changes.coverMediaId };
        post = {
          ...post,
          cover: cover
            ? {
                id: cover.id,
                url: cover.url,
                srcset: cover.srcset,
                width: cover.width,
                height: cover.height,
                altText: cover.altText,
              }
            : null,
          version: post.version + 1,
        };
        return json(envelope(post));
      }),
    ],
  };
}

describe('Images in the editor', () => {
  it('the image button opens the picker; alt text is required, saved on the image, and the image goes in at the cursor', async () => {
    const user = userEvent.setup({ delay: null });
    const editor = editorWith(draft({ body: 'Before.\n\nAfter.' }));
    useApi(...editor.handlers);
    renderEditor();

    const body = await screen.findByRole<HTMLTextAreaElement>('textbox', { name: /^Text \(Markdown\)/ });
    body.focus();
    body.setSelectionRange(7, 7);
    await user.click(screen.getByRole('button', { name: 'Image' }));

    const dialog = await screen.findByRole('dialog', { name: 'Insert an image' });
    const library = await within(dialog).findByRole('list', { name: 'Images in the library' });
    await user.click(within(library).getByRole('button', { name: /^Choose the image without alt text/ }));

    // The image has no alt text yet: it is asked for, and cannot be skipped.
    const alt = await within(dialog).findByRole('textbox', { name: /^Alt text/ });
    await waitFor(() => expect(alt).toHaveFocus());
    expect(alt).toHaveValue('');
    await user.click(within(dialog).getByRole('button', { name: 'Insert image' }));
    expect(alt).toHaveAccessibleDescription(expect.stringContaining('Describe what the image shows'));
    expect(alt).toHaveAttribute('aria-invalid', 'true');
    expect(requestsTo(`/api/v1/media/${mediaId(2)}`)).toHaveLength(0);
    expect(body).toHaveValue('Before.\n\nAfter.');

    await user.type(alt, 'A gull [[on a post]');
    await user.click(within(dialog).getByRole('button', { name: 'Insert image' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await bodyOf(requestsTo(`/api/v1/media/${mediaId(2)}`)[0])).toEqual({ altText: 'A gull [on a post]' });
    const inserted = `![A gull \\[on a post\\]](media:${mediaId(2)})`;
    expect(body).toHaveValue(`Before.\n\n${inserted}\n\nAfter.`);
    expect(screen.getByText('Image inserted.')).toBeInTheDocument();
    await waitFor(() => expect(body).toHaveFocus());
    expect(body.selectionStart).toBe(`Before.\n\n${inserted}`.length);
  });

  it('an image that has alt text is offered with it, and inserted without saving it again; Cancel leaves the text alone', async () => {
    const user = userEvent.setup({ delay: null });
    const editor = editorWith(draft({ body: 'Text.' }));
    useApi(...editor.handlers);
    renderEditor();

    const body = await screen.findByRole<HTMLTextAreaElement>('textbox', { name: /^Text \(Markdown\)/ });
    const imageButton = screen.getByRole('button', { name: 'Image' });
    await user.click(imageButton);
    let dialog = await screen.findByRole('dialog', { name: 'Insert an image' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(body).toHaveValue('Text.');
    await waitFor(() => expect(imageButton).toHaveFocus());

    body.focus();
    body.setSelectionRange(5, 5);
    await user.click(imageButton);
    dialog = await screen.findByRole('dialog', { name: 'Insert an image' });
    await user.click(await within(dialog).findByRole('button', { name: 'Choose the image A lighthouse at dusk' }));
    expect(await within(dialog).findByRole('textbox', { name: /^Alt text/ })).toHaveValue('A lighthouse at dusk');
    await user.click(within(dialog).getByRole('button', { name: 'Insert image' }));

    await waitFor(() => expect(body).toHaveValue(`Text.\n\n![A lighthouse at dusk](media:${mediaId(1)})`));
    expect(requestsTo(`/api/v1/media/${mediaId(1)}`)).toHaveLength(0);
  });

  it('chooses a cover image (shown with its alt text, saved as coverMediaId) and removes it', async () => {
    const user = userEvent.setup({ delay: null });
    const editor = editorWith(draft());
    useApi(...editor.handlers);
    renderEditor();

    const cover = await screen.findByRole('group', { name: 'Cover image' });
    expect(cover).toHaveTextContent('No cover image.');
    await user.click(within(cover).getByRole('button', { name: 'Choose a cover image' }));
    const dialog = await screen.findByRole('dialog', { name: 'Choose a cover image' });
    await user.click(await within(dialog).findByRole('button', { name: 'Choose the image A lighthouse at dusk' }));
    await user.click(await within(dialog).findByRole('button', { name: 'Use as cover' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(cover).toHaveTextContent('Alt text: A lighthouse at dusk');
    const preview = within(cover).getByRole('figure').querySelector('img')!;
    expect(preview).toHaveAttribute('srcset', editor.lighthouse.srcset);
    expect(preview).toHaveAttribute('width', '1600');
    expect(screen.getByText('Cover image chosen. Save the post to keep it.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await screen.findByText('Draft saved.');
    expect(await bodyOf(requestsTo(`/api/v1/posts/${POST_ID}`).find((r) => r.method === 'PATCH'))).toMatchObject({
      coverMediaId: mediaId(1),
    });
    expect(editor.post.cover?.id).toBe(mediaId(1));

    await user.click(within(cover).getByRole('button', { name: 'Remove cover image' }));
    expect(cover).toHaveTextContent('No cover image.');
    await waitFor(() => expect(within(cover).getByRole('button', { name: 'Choose a cover image' })).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(editor.post.cover).toBeNull());
    const patches = requestsTo(`/api/v1/posts/${POST_ID}`).filter((r) => r.method === 'PATCH');
    expect(await bodyOf(patches.at(-1))).toMatchObject({ coverMediaId: null });
  });
});
