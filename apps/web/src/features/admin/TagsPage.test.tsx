import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { detailedErrorEnvelope, envelope, message } from '../../test/api-fixtures';
import { bodyOf } from '../../test/auth';
import { api, json, requestsTo } from '../../test/msw';
import { listEnvelope, renderAdmin, tagOf } from './test-fixtures';

const storms = tagOf(7, 'Storms', { color: '#1c7ed6' });
const storm = tagOf(2, 'Storm');
const ships = tagOf(5, 'Ships');

const tagQueries = () =>
  requestsTo('/api/v1/tags')
    .filter((r) => r.method === 'GET')
    .map((r) => new URL(r.url).searchParams);

const tagsApi = api.get('/api/v1/tags', ({ request }) => {
  const q = new URL(request.url).searchParams.get('q');
  const all = [storms, ships, storm];
  return json(listEnvelope(q ? all.filter((t) => t.name.toLowerCase().startsWith(q.toLowerCase())) : all));
});

describe('Admin: tags', () => {
  it('finds tags by the start of their name and orders them', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(paths.admin.tags, {}, tagsApi);

    await within(await screen.findByRole('table', { name: 'Tags' })).findByText('Ships');
    expect(tagQueries()[0]?.get('sort')).toBe('popular');
    await user.type(screen.getByRole('searchbox', { name: /Find tags/ }), 'sto');
    await user.click(screen.getByRole('button', { name: 'Find' }));
    await waitFor(() => expect(tagQueries().at(-1)?.get('q')).toBe('sto'));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('2 tags'));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Order' }), 'name');
    await waitFor(() => expect(tagQueries().at(-1)?.get('sort')).toBe('name'));
    expect(tagQueries().at(-1)?.get('q')).toBe('sto');
  });

  it('merges a tag into another chosen by name', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(
      paths.admin.tags,
      {},
      tagsApi,
      api.post('/api/v1/tags/{id}/merge', () => json(envelope(storms))),
    );

    await user.click(await screen.findByRole('button', { name: 'Merge Storm' }));
    const dialog = await screen.findByRole('dialog', { name: 'Merge Storm into another tag' });
    expect(within(dialog).getByText(/Its 2 posts get the other tag instead/)).toBeInTheDocument();
    await user.type(within(dialog).getByRole('combobox', { name: 'Merge into' }), 'Sto');
    await user.click(await screen.findByRole('option', { name: 'Storms (7)' }));
    // The tag itself is not offered.
    expect(screen.queryByRole('option', { name: 'Storm (2)' })).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Merge tags' }));

    expect(await screen.findByText('Storm merged into Storms.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo(`/api/v1/tags/${storm.id}/merge`)[0])).toEqual({ intoId: storms.id });
  });

  it('changes a tag’s colour, showing a taken slug at its field', async () => {
    const user = userEvent.setup({ delay: null });
    let attempts = 0;
    renderAdmin(
      paths.admin.tags,
      {},
      tagsApi,
      api.patch('/api/v1/tags/{id}', async ({ request }) => {
        attempts += 1;
        const body = await request.json();
        return attempts === 1
          ? json(
              detailedErrorEnvelope('CONFLICT', 'Taken', [
                { field: 'slug', code: 'TAKEN', message: 'this slug is taken' },
              ]),
              409,
            )
          : json(envelope({ ...ships, ...(body as object) }));
      }),
    );

    await user.click(await screen.findByRole('button', { name: 'Edit Ships' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Ships' });
    await user.click(within(dialog).getByRole('checkbox', { name: 'Use the default colour' }));
    const colour = within(dialog).getByRole('textbox', { name: /Colour/ });
    await user.clear(colour);
    await user.type(colour, '#2f9e44');
    const slug = within(dialog).getByRole('textbox', { name: /Slug/ });
    await user.clear(slug);
    await user.type(slug, 'storms');
    await user.click(within(dialog).getByRole('button', { name: 'Save tag' }));
    await waitFor(() => expect(slug).toHaveAccessibleDescription(/This slug is taken./));

    await user.clear(slug);
    await user.type(slug, 'ships');
    await user.click(within(dialog).getByRole('button', { name: 'Save tag' }));
    expect(await screen.findByText('Tag Ships saved.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo(`/api/v1/tags/${ships.id}`).at(-1))).toEqual({
      name: 'Ships',
      color: '#2f9e44',
      slug: 'ships',
    });
  });

  it('creates and deletes tags', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(
      paths.admin.tags,
      {},
      tagsApi,
      api.post('/api/v1/tags', () => json(envelope(tagOf(9, 'Lighthouses')), 201)),
      api.delete('/api/v1/tags/{id}', () => json(message('Deleted'))),
    );

    await user.click(await screen.findByRole('button', { name: 'New tag' }));
    const dialog = await screen.findByRole('dialog', { name: 'New tag' });
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Lighthouses');
    await user.click(within(dialog).getByRole('button', { name: 'Create tag' }));
    expect(await screen.findByText('Tag Lighthouses created.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo('/api/v1/tags').find((r) => r.method === 'POST'))).toEqual({
      name: 'Lighthouses',
      color: null,
    });

    await user.click(screen.getByRole('button', { name: 'Delete Ships' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete Ships?' });
    expect(within(confirm).getByText('It comes off its 5 posts. This cannot be undone.')).toBeInTheDocument();
    await user.click(within(confirm).getByRole('button', { name: 'Delete tag' }));
    expect(await screen.findByText('Tag Ships deleted.')).toBeInTheDocument();
    // Its row (and the button that opened the dialog) is gone: focus goes to the page's heading.
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Tags' })).toHaveFocus());
    expect(requestsTo(`/api/v1/tags/${ships.id}`).map((r) => r.method)).toEqual(['DELETE']);
  });
});
