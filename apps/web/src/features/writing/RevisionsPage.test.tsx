import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { envelope, errorEnvelope } from '../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { RevisionsPage } from './RevisionsPage';
import { dateTime } from './writing.format';
import { draft, oldRevision, POST_ID, revisionSummaries } from './test-fixtures';

const renderRevisions = (path: string) => {
  rememberSignIn();
  return renderPage(
    [
      { path: paths.write.revisions, element: <RevisionsPage /> },
      { path: paths.write.revision, element: <RevisionsPage /> },
    ],
    path,
  );
};

const revisionsApi = [
  ...signedInApi(),
  api.get('/api/v1/posts/{id}', () => json(envelope(draft()), 200, { ETag: 'W/"v1"' })),
  api.get('/api/v1/posts/{id}/revisions', () => json(envelope(revisionSummaries))),
  api.get('/api/v1/posts/{id}/revisions/{revisionId}', () => json(envelope(oldRevision))),
];

describe('Revisions', () => {
  it('lists the saves newest first, each linking to its view', async () => {
    useApi(...revisionsApi);
    renderRevisions(`/write/${POST_ID}/revisions`);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Revisions of “Tides of the North Sea”' }),
    ).toBeInTheDocument();
    const list = await screen.findByRole('list', { name: 'Saves, newest first' });
    const links = within(list).getAllByRole('link');
    expect(links).toHaveLength(2);
    expect(links[0]).toHaveTextContent('(current)');
    expect(links[1]).toHaveAttribute('href', `/write/${POST_ID}/revisions/${oldRevision.id}`);
    expect(within(list).getByText('Tides · by ada')).toBeInTheDocument();
  });

  it('shows a revision’s diff against the current text, marked by more than colour', async () => {
    useApi(...revisionsApi);
    renderRevisions(`/write/${POST_ID}/revisions/${oldRevision.id}`);

    expect(await screen.findByRole('heading', { level: 2, name: 'Tides' })).toBeInTheDocument();
    const diff = screen.getByTestId('revision-diff');
    const removed = diff.querySelector('del');
    const added = diff.querySelector('ins');
    expect(removed).toHaveTextContent('Removed: −The harbour fills.');
    expect(added).toHaveTextContent('Added: +Twice a day the harbour fills.');
    expect(within(diff).getByText('## High water')).toBeInTheDocument();
    // The revision shown is marked as the current page in the list.
    expect(await screen.findByRole('link', { current: 'page' })).toHaveTextContent(dateTime(oldRevision.createdAt));
  });

  it('restores a revision after confirmation, with the post’s ETag, and goes to the editor', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      ...revisionsApi,
      api.post('/api/v1/posts/{id}/revisions/{revisionId}/restore', () =>
        json(envelope(draft({ title: 'Tides', body: oldRevision.body, version: 2 }))),
      ),
    );
    const { router } = renderRevisions(`/write/${POST_ID}/revisions/${oldRevision.id}`);

    await user.click(await screen.findByRole('button', { name: 'Restore this revision' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore this revision?' });
    await user.click(within(dialog).getByRole('button', { name: 'Restore' }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/write/${POST_ID}`));
    expect(await screen.findByText(/is back in the post\.$/)).toBeInTheDocument();
    const restore = requestsTo(`/api/v1/posts/${POST_ID}/revisions/${oldRevision.id}/restore`);
    expect(restore).toHaveLength(1);
    expect(restore[0].headers.get('if-match')).toBe('W/"v1"');
  });

  it('says the post changed since when the restore meets 412', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      ...revisionsApi,
      api.post('/api/v1/posts/{id}/revisions/{revisionId}/restore', () =>
        json(errorEnvelope('PRECONDITION_FAILED', 'The post changed since you read it', 'req-412'), 412),
      ),
    );
    renderRevisions(`/write/${POST_ID}/revisions/${oldRevision.id}`);

    await user.click(await screen.findByRole('button', { name: 'Restore this revision' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore this revision?' });
    await user.click(within(dialog).getByRole('button', { name: 'Restore' }));

    expect(await within(dialog).findByText('The post changed since you opened it')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Reload' })).toBeInTheDocument();
  });
});
