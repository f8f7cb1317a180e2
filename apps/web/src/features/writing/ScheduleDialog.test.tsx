import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { envelope, meOf } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { EditorPage } from './EditorPage';
import { categories, draft, POST_ID, tagsEnvelope } from './test-fixtures';

describe('Scheduling a post', () => {
  it('sends the chosen time with the writer’s offset, and shows when it goes live', async () => {
    const user = userEvent.setup({ delay: null });
    let post = draft();
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/me', () => json(envelope(meOf()))),
      api.get('/api/v1/categories', () => json(envelope(categories))),
      api.get('/api/v1/tags', () => json(tagsEnvelope())),
      api.get('/api/v1/posts/{id}/accessibility', () => json(envelope({ ok: true, problems: [] }))),
      api.get('/api/v1/posts/{id}', () => json(envelope(post), 200, { ETag: `W/"v${post.version}"` })),
      api.post('/api/v1/posts/{id}/schedule', async ({ request }) => {
        const { at } = (await request.clone().json()) as { at: string };
        post = { ...post, status: 'scheduled', scheduledAt: new Date(at).toISOString(), version: 2 };
        return json(envelope(post));
      }),
    );
    rememberSignIn();
    renderPage([{ path: paths.write.post, element: <EditorPage /> }], `/write/${POST_ID}`);

    await user.click(await screen.findByRole('button', { name: 'Schedule' }));
    const dialog = await screen.findByRole('dialog', { name: 'Schedule publication' });
    expect(within(dialog).getByText(/In your time zone \(.+\)\./)).toBeInTheDocument();

    // A time in the past is refused before asking the API.
    await user.click(within(dialog).getByRole('button', { name: 'Schedule' }));
    expect(await within(dialog).findByText('Choose a date and time.')).toBeInTheDocument();

    // Next month, the 15th, at the picker's default time.
    await user.click(within(dialog).getByRole('button', { name: /Publish at/ }));
    await user.click(await screen.findByRole('button', { name: 'Next month' }));
    const next = new Date();
    next.setDate(1);
    next.setMonth(next.getMonth() + 1);
    const month = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric' }).format(next);
    await user.click(screen.getByRole('button', { name: `15 ${month}` }));
    await user.click(screen.getByRole('button', { name: 'Use this date and time' }));
    await user.click(within(dialog).getByRole('button', { name: 'Schedule' }));

    expect(await screen.findByText(/^Scheduled for /)).toBeInTheDocument();
    const sent = (await bodyOf(requestsTo(`/api/v1/posts/${POST_ID}/schedule`)[0])) as { at: string };
    // The local time with its offset: "2026-12-15T00:00:00+01:00".
    expect(sent.at).toMatch(/^\d{4}-\d{2}-15T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
    expect(new Date(sent.at).getTime()).toBeGreaterThan(Date.now());
    await waitFor(() => expect(screen.getByText('Scheduled')).toBeInTheDocument());
    expect(screen.getByText(/Goes live/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Publish now' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel schedule' })).toBeInTheDocument();
  });
});
