import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { useAuth } from '../auth';
import { envelope, errorEnvelope, meOf } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import type { PostPreview } from './api/writing.api';
import { LivePreview } from './components/LivePreview';
import { EditorPage } from './EditorPage';
import { categories, draft, POST_ID, tagsEnvelope } from './test-fixtures';

const PREVIEW = '/api/v1/posts/preview';

/** The server's preview, echoing the text it was sent so a test can tell which text it rendered. */
const rendered = (body: string, readingTimeMinutes = 1): PostPreview => ({
  html: `<p>Rendered: ${body}</p>`,
  readingTimeMinutes,
  readingLevel: 4,
  accessibility: { ok: true, problems: [] },
});

/** An answer the test releases when it wants (to see the preview while it is being updated). */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open: () => open() };
}

const previewApi = (wait?: Promise<void>) =>
  api.post(PREVIEW, async ({ request }) => {
    const { body } = (await request.clone().json()) as { body: string };
    if (wait) await wait;
    return json(envelope(rendered(body)));
  });

/** The preview beside a plain text box (as the editor's Markdown field holds it), once signed in as the editor is. */
function Harness() {
  const [body, setBody] = useState('Calm water.');
  if (!useAuth().user) return null;
  return (
    <>
      <textarea aria-label="Text" value={body} onChange={(event) => setBody(event.currentTarget.value)} />
      <LivePreview body={body} />
    </>
  );
}

const renderHarness = () => {
  rememberSignIn();
  return renderPage([{ path: '/harness', element: <Harness /> }], '/harness');
};

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

const editorApi = [
  ...signedInApi(),
  api.get('/api/v1/auth/me', () => json(envelope(meOf()))),
  api.get('/api/v1/categories', () => json(envelope(categories))),
  api.get('/api/v1/tags', () => json(tagsEnvelope())),
  api.get('/api/v1/posts/{id}/accessibility', () => json(envelope({ ok: true, problems: [] }))),
];

/** The post being edited, published (so no autosave: a save would publish the change), with `text` as its body. */
const publishedPostApi = (text: string) =>
  api.get('/api/v1/posts/{id}', () =>
    json(
      envelope(
        draft({ status: 'published', publishedAt: '2025-06-14T11:00:00.000Z', body: text, html: `<p>${text}</p>` }),
      ),
      200,
      { ETag: 'W/"v1"' },
    ),
  );

describe('The live preview', () => {
  it('asks the server once typing has stopped (not per keystroke), and says it is updating meanwhile', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(...signedInApi(), previewApi());
    renderHarness();

    const preview = await screen.findByTestId('preview-body');
    expect(preview).toHaveTextContent('Rendered: Calm water.');
    expect(screen.getByTestId('preview-status')).toHaveTextContent('About 1 minute to read.');
    expect(requestsTo(PREVIEW)).toHaveLength(1);

    await user.type(screen.getByRole('textbox', { name: 'Text' }), ' Then storms.');
    // Typed within the wait: nothing asked yet, and the old rendering is shown as being updated.
    expect(requestsTo(PREVIEW)).toHaveLength(1);
    expect(screen.getByTestId('preview-status')).toHaveTextContent('Updating the preview…');
    expect(screen.getByTestId('preview-body')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByTestId('preview-body')).toHaveTextContent('Rendered: Calm water.');

    await waitFor(() =>
      expect(screen.getByTestId('preview-body')).toHaveTextContent('Rendered: Calm water. Then storms.'),
    );
    expect(screen.getByTestId('preview-body')).toHaveAttribute('aria-busy', 'false');
    expect(screen.getByTestId('preview-status')).toHaveTextContent('About 1 minute to read.');
    // One request for the thirteen keystrokes, with the whole text.
    expect(requestsTo(PREVIEW)).toHaveLength(2);
    expect(await bodyOf(requestsTo(PREVIEW)[1])).toEqual({ body: 'Calm water. Then storms.' });
  });

  it('shows the new text of a published post before any save, updating while the server renders it', async () => {
    const user = userEvent.setup({ delay: null });
    const answer = gate();
    useApi(...editorApi, publishedPostApi('Old words.'), previewApi(answer.opened));
    renderEditor();

    const text = await screen.findByRole('textbox', { name: /^Text \(Markdown\)/ });
    await user.clear(text);
    await user.type(text, 'New words.');
    await user.click(screen.getByRole('tab', { name: 'Preview' }));

    const panel = screen.getByRole('tabpanel', { name: 'Preview' });
    expect(await within(panel).findByText('Updating the preview…')).toBeInTheDocument();
    answer.open();
    expect(await within(panel).findByText('Rendered: New words.')).toBeInTheDocument();
    expect(within(panel).queryByText('Old words.')).not.toBeInTheDocument();
    expect(within(panel).getByTestId('preview-status')).toHaveTextContent('About 1 minute to read.');
    expect(await bodyOf(requestsTo(PREVIEW).at(-1))).toEqual({ body: 'New words.' });
    // Nothing was saved (a save would publish the change).
    expect(requestsTo(`/api/v1/posts/${POST_ID}`).filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it(
    'checks accessibility in the text as written, before any save; the saved version when no preview can be had',
    { timeout: 60_000 },
    async () => {
      const user = userEvent.setup({ delay: null });
      let previewFails = false;
      useApi(
        // Before the editor's defaults: the first handler that matches answers.
        api.get('/api/v1/posts/{id}/accessibility', () =>
          json(
            envelope({ ok: false, problems: [{ code: 'IMAGE_WITHOUT_ALT' as const, message: 'Describe the image.' }] }),
          ),
        ),
        ...editorApi,
        // Published: no autosave (a save would publish the change), so what is checked is the unsaved text.
        publishedPostApi('Calm water.'),
        api.post(PREVIEW, async ({ request }) => {
          if (previewFails) return json(errorEnvelope('SERVICE_UNAVAILABLE', 'Not now', 'req-503'), 503);
          const { body } = (await request.clone().json()) as { body: string };
          const vague = body.includes('[click here]');
          return json(
            envelope({
              ...rendered(body),
              accessibility: {
                ok: !vague,
                problems: vague ? [{ code: 'LINK_TEXT_VAGUE' as const, message: 'Say where the link goes.' }] : [],
              },
            }),
          );
        }),
      );
      renderEditor();

      const panel = await screen.findByRole('region', { name: 'Accessibility check' });
      expect(
        await within(panel).findByText(/No problems found in the text as written/, {}, { timeout: 6000 }),
      ).toBeInTheDocument();

      const text = screen.getByRole('textbox', { name: /^Text \(Markdown\)/ });
      await user.type(text, ' For the times, [[click here](https://example.com/tides).');
      // Asked as autosave waits (three seconds after typing stops), not 400 ms like the preview tab.
      expect(
        await within(panel).findByText('Fix these before publishing (in the text as written):', {}, { timeout: 6000 }),
      ).toBeInTheDocument();
      expect(within(panel).getByText('A link’s text says nothing on its own:')).toBeInTheDocument();
      expect(within(panel).getByText('Say where the link goes.')).toBeInTheDocument();
      expect(requestsTo(`/api/v1/posts/${POST_ID}`).filter((request) => request.method !== 'GET')).toEqual([]);

      // No preview to be had: the report of the last saved version, said to be of that version.
      previewFails = true;
      await user.type(text, ' More.');
      expect(
        await within(panel).findByText(
          'Fix these before publishing (in the last saved version):',
          {},
          { timeout: 6000 },
        ),
      ).toBeInTheDocument();
      expect(within(panel).getByText('Describe the image.')).toBeInTheDocument();
    },
  );

  it('says when the preview could not be updated, and tries again on request', async () => {
    const user = userEvent.setup({ delay: null });
    let failing = true;
    useApi(
      ...signedInApi(),
      api.post(PREVIEW, async ({ request }) => {
        const { body } = (await request.clone().json()) as { body: string };
        return failing
          ? json(errorEnvelope('SERVICE_UNAVAILABLE', 'The database is not answering', 'req-503'), 503)
          : json(envelope(rendered(body)));
      }),
    );
    renderHarness();

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Could not update the preview')).toBeInTheDocument();
    expect(within(alert).getByText('The database is not answering')).toBeInTheDocument();
    expect(screen.getByTestId('preview-status')).toHaveTextContent('The preview is not up to date.');
    expect(screen.queryByTestId('preview-body')).not.toBeInTheDocument();

    failing = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('preview-body')).toHaveTextContent('Rendered: Calm water.');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
