import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { detailedErrorEnvelope, envelope, errorEnvelope, meOf, message } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderApp, renderPage } from '../../test/render';
import type { Media } from './api/media.api';
import { MediaLibraryPage } from './MediaLibraryPage';
import { imageFile, mediaId, mediaItem, mediaListEnvelope } from './test-fixtures';

const renderLibrary = () => {
  rememberSignIn();
  return renderPage([{ path: paths.media, element: <MediaLibraryPage /> }], paths.media);
};

/** The library as the server holds it: listing, describing and deleting change it. */
function serverLibrary(initial: Media[]) {
  let items = initial;
  return {
    get items() {
      return items;
    },
    handlers: [
      api.get('/api/v1/media', () => json(mediaListEnvelope(items))),
      api.patch('/api/v1/media/{id}', async ({ request, params }) => {
        const changes = (await request.clone().json()) as { altText?: string | null; caption?: string | null };
        items = items.map((item) => (item.id === params.id ? { ...item, ...changes } : item));
        return json(envelope(items.find((item) => item.id === params.id) ?? items[0]));
      }),
    ],
    add(item: Media) {
      items = [item, ...items];
    },
    remove(id: string) {
      items = items.filter((item) => item.id !== id);
    },
  };
}

const fileInput = () => document.querySelector<HTMLInputElement>('input[type="file"]')!;

describe('The media library', () => {
  it('shows each image with its variants (srcset, sizes, width and height) and its alt text, or says it has none', async () => {
    const library = serverLibrary([
      mediaItem(1, { altText: 'A lighthouse at dusk', usedBy: 2, caption: 'Cape Point, 2024' }),
      mediaItem(2, { altText: null }),
    ]);
    useApi(...signedInApi(), ...library.handlers);
    renderLibrary();

    const list = await screen.findByRole('list', { name: 'Images' });
    const cards = within(list).getAllByRole('listitem');
    expect(cards).toHaveLength(2);
    expect(cards[0]).toHaveTextContent('Alt text: A lighthouse at dusk');
    expect(cards[0]).toHaveTextContent('Caption: Cape Point, 2024');
    expect(cards[0]).toHaveTextContent('Shown in 2 posts');
    const image = cards[0].querySelector('img')!;
    expect(image).toHaveAttribute('srcset', library.items[0].srcset);
    expect(image.getAttribute('sizes')).toMatch(/vw/);
    expect(image).toHaveAttribute('width', '1600');
    expect(image).toHaveAttribute('height', '1067');
    expect(cards[1]).toHaveTextContent('No alt text yet: posts that show it cannot be published.');
    expect(within(cards[1]).getByRole('button', { name: /^Add alt text of the image without alt text/ })).toBeVisible();
  });

  it('says so when the library is empty', async () => {
    useApi(
      ...signedInApi(),
      api.get('/api/v1/media', () => json(mediaListEnvelope([]))),
    );
    renderLibrary();

    expect(await screen.findByText('No images yet')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Images' })).not.toBeInTheDocument();
  });

  it('shows why the library could not be loaded, with a retry', async () => {
    useApi(
      ...signedInApi(),
      api.get('/api/v1/media', () => json(errorEnvelope('FORBIDDEN', 'You may not do that', 'req-403'), 403)),
    );
    renderLibrary();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the library');
    expect(alert).toHaveTextContent('You may not do that');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('uploads an image (one multipart field "file"), then asks for its alt text and saves it', async () => {
    const user = userEvent.setup({ delay: null });
    const library = serverLibrary([mediaItem(1)]);
    const uploaded = mediaItem(7, { altText: null });
    useApi(
      ...signedInApi(),
      ...library.handlers,
      api.post('/api/v1/media', () => {
        library.add(uploaded);
        return json(envelope(uploaded), 201);
      }),
    );
    renderLibrary();
    await screen.findByRole('list', { name: 'Images' });

    await user.upload(fileInput(), imageFile('gull.png'));

    const dialog = await screen.findByRole('dialog', { name: 'Describe the image' });
    expect(await screen.findByText('“gull.png” uploaded.')).toBeInTheDocument();
    const sent = requestsTo('/api/v1/media').find((request) => request.method === 'POST');
    expect(sent?.headers.get('authorization')).toBe('Bearer access-1');
    const form = await sent!.formData();
    expect([...form.keys()]).toEqual(['file']);
    // (jsdom's XMLHttpRequest does not carry the file's bytes; the browser test uploads a real PNG.)
    expect(form.get('file')).toHaveProperty('type', 'image/png');

    const alt = within(dialog).getByRole('textbox', { name: /^Alt text/ });
    await waitFor(() => expect(alt).toHaveFocus());
    await user.type(alt, 'A gull on a mooring post');
    await user.click(within(dialog).getByRole('button', { name: 'Save description' }));

    expect(await screen.findByText('Image description saved.')).toBeInTheDocument();
    const patch = requestsTo(`/api/v1/media/${uploaded.id}`).find((request) => request.method === 'PATCH');
    expect(await bodyOf(patch)).toEqual({ altText: 'A gull on a mooring post', caption: null });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const cards = within(screen.getByRole('list', { name: 'Images' })).getAllByRole('listitem');
    await waitFor(() => expect(cards[0]).toHaveTextContent('Alt text: A gull on a mooring post'));
  });

  it('shows an upload under way (progress bar, status) and can cancel it', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      ...signedInApi(),
      api.get('/api/v1/media', () => json(mediaListEnvelope([mediaItem(1)]))),
      // The server takes its time: long enough to be cancelled.
      api.post('/api/v1/media', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        return json(envelope(mediaItem(9)), 201);
      }),
    );
    renderLibrary();
    await screen.findByRole('list', { name: 'Images' });

    await user.upload(fileInput(), imageFile('gull.png'));

    expect(await screen.findByTestId('upload-status')).toHaveTextContent(/^(Uploading|Preparing) “gull.png”/);
    expect(screen.getByRole('progressbar', { name: /“gull.png”/ })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Upload an image' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Cancel upload' }));

    await waitFor(() => expect(screen.getByTestId('upload-status')).toHaveTextContent('Upload cancelled.'));
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Upload an image' })).toBeEnabled();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('refuses a file that is not an image before sending it, and explains a refusal of the server', async () => {
    const user = userEvent.setup({ delay: null, applyAccept: false });
    useApi(
      ...signedInApi(),
      api.get('/api/v1/media', () => json(mediaListEnvelope([mediaItem(1)]))),
      api.post('/api/v1/media', () =>
        json(errorEnvelope('PAYLOAD_TOO_LARGE', 'The file is too large', 'req-413'), 413),
      ),
    );
    renderLibrary();
    await screen.findByRole('list', { name: 'Images' });

    await user.upload(fileInput(), imageFile('notes.txt', 'text/plain'));
    expect(await screen.findByRole('alert')).toHaveTextContent('“notes.txt” is not a PNG, JPEG or WebP image.');
    expect(requestsTo('/api/v1/media').filter((request) => request.method === 'POST')).toHaveLength(0);

    await user.upload(fileInput(), imageFile('big.jpg', 'image/jpeg'));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'The image is larger than 10 MB. Choose a smaller one, or scale it down first.',
      ),
    );
  });

  it('edits the alt text and caption; empty alt text is refused at the field', async () => {
    const user = userEvent.setup({ delay: null });
    const library = serverLibrary([mediaItem(1, { altText: 'A lighthouse' })]);
    useApi(...signedInApi(), ...library.handlers);
    renderLibrary();

    await user.click(await screen.findByRole('button', { name: 'Edit description of the image “A lighthouse”' }));
    const dialog = await screen.findByRole('dialog', { name: 'Describe the image' });
    const alt = within(dialog).getByRole('textbox', { name: /^Alt text/ });
    await user.clear(alt);
    await user.click(within(dialog).getByRole('button', { name: 'Save description' }));

    expect(alt).toHaveAccessibleDescription(expect.stringContaining('Describe what the image shows'));
    expect(alt).toHaveFocus();
    expect(requestsTo(`/api/v1/media/${mediaId(1)}`)).toHaveLength(0);

    await user.type(alt, 'A lighthouse at dusk, its beam over a calm sea');
    await user.type(within(dialog).getByRole('textbox', { name: 'Caption' }), 'Cape Point');
    await user.click(within(dialog).getByRole('button', { name: 'Save description' }));

    expect(await screen.findByText('Image description saved.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo(`/api/v1/media/${mediaId(1)}`)[0])).toEqual({
      altText: 'A lighthouse at dusk, its beam over a calm sea',
      caption: 'Cape Point',
    });
    expect(await screen.findByText('A lighthouse at dusk, its beam over a calm sea')).toBeInTheDocument();
  });

  it('shows the server’s refusal of the alt text at the field', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      ...signedInApi(),
      api.get('/api/v1/media', () => json(mediaListEnvelope([mediaItem(1, { altText: 'A lighthouse' })]))),
      api.patch('/api/v1/media/{id}', () =>
        json(
          detailedErrorEnvelope('VALIDATION_ERROR', 'The request is invalid', [
            { field: 'altText', message: 'altText must not contain control characters', code: 'MATCHES' },
          ]),
          400,
        ),
      ),
    );
    renderLibrary();

    await user.click(await screen.findByRole('button', { name: /^Edit description/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Describe the image' });
    await user.type(within(dialog).getByRole('textbox', { name: /^Alt text/ }), ' again');
    await user.click(within(dialog).getByRole('button', { name: 'Save description' }));

    await waitFor(() =>
      expect(within(dialog).getByRole('textbox', { name: /^Alt text/ })).toHaveAccessibleDescription(
        expect.stringContaining('AltText must not contain control characters.'),
      ),
    );
  });

  it('deletes an image; while posts show it the refusal is explained, and “Delete anyway” forces it', async () => {
    const user = userEvent.setup({ delay: null });
    const library = serverLibrary([mediaItem(1, { altText: 'A lighthouse', usedBy: 2 }), mediaItem(2)]);
    useApi(
      ...signedInApi(),
      ...library.handlers,
      api.delete('/api/v1/media/{id}', ({ request, params }) => {
        if (new URL(request.url).searchParams.get('force') !== 'true') {
          return json(
            detailedErrorEnvelope('CONFLICT', '2 posts show this image: take it out of them first', [
              { field: 'id', message: '2 posts show this image', code: 'MEDIA_IN_USE' },
            ]),
            409,
          );
        }
        library.remove(String(params.id));
        return json(message('Deleted'));
      }),
    );
    renderLibrary();

    await user.click(await screen.findByRole('button', { name: 'Delete the image “A lighthouse”' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this image?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete image' }));

    const refusal = await within(dialog).findByRole('alert');
    expect(refusal).toHaveTextContent('Posts still show this image');
    expect(refusal).toHaveTextContent('2 posts show it in the text or as the cover, so it was not deleted.');
    expect(refusal).toHaveTextContent('posts that have it as their cover will have none');
    await waitFor(() => expect(refusal).toHaveFocus());
    expect(within(screen.getByRole('list', { name: 'Images' })).getAllByRole('listitem')).toHaveLength(2);

    await user.click(within(dialog).getByRole('button', { name: 'Delete anyway' }));

    expect(await screen.findByText('Image deleted.')).toBeInTheDocument();
    const deletes = requestsTo(`/api/v1/media/${mediaId(1)}`).filter((request) => request.method === 'DELETE');
    expect(deletes.map((request) => new URL(request.url).search)).toEqual(['', '?force=true']);
    await waitFor(() =>
      expect(within(screen.getByRole('list', { name: 'Images' })).getAllByRole('listitem')).toHaveLength(1),
    );
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Media library' })).toHaveFocus());
  });

  it('opens at /media for those who may write, behind the writing gate: others are told it is not for them', async () => {
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/me', () => json(envelope(meOf(undefined, ['profile:read', 'posts:read'])))),
    );
    renderApp(paths.media);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Writing is not open to your account' }),
    ).toBeInTheDocument();
    expect(requestsTo('/api/v1/media')).toHaveLength(0);
  });

  it('is the library page for an author', async () => {
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/me', () => json(envelope(meOf()))),
      api.get('/api/v1/media', () => json(mediaListEnvelope([mediaItem(1)]))),
    );
    renderApp(paths.media);

    expect(await screen.findByRole('heading', { level: 1, name: 'Media library' })).toBeInTheDocument();
    expect(await screen.findByRole('list', { name: 'Images' })).toBeInTheDocument();
  });
});
