import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { envelope, errorEnvelope, message } from '../../test/api-fixtures';
import { bodyOf } from '../../test/auth';
import { api, json, requestsTo } from '../../test/msw';
import { categoryOf, renderAdmin } from './test-fixtures';

const COAST = '0193c5a2-cccc-7000-8000-000000000001';
const HARBOURS = '0193c5a2-cccc-7000-8000-000000000002';
const COOKING = '0193c5a2-cccc-7000-8000-000000000003';

const tree = [
  categoryOf(COAST, 'Coast', [categoryOf(HARBOURS, 'Harbours', [], { parentId: COAST, postCount: 3 })], {
    postCount: 5,
  }),
  categoryOf(COOKING, 'Cooking', [], { sortOrder: 1, postCount: 2 }),
];
const treeApi = api.get('/api/v1/categories', () => json(envelope(tree)));
const updateApi = api.patch('/api/v1/categories/{id}', async ({ params, request }) => {
  const body = await request.json();
  return json(envelope({ ...categoryOf(params.id, body.name ?? 'Changed'), children: undefined }));
});

describe('Admin: categories', () => {
  it('shows the tree, and moves a category under another (never under itself or below it)', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(paths.admin.categories, {}, treeApi, updateApi);

    const top = await screen.findByRole('list', { name: 'Categories' });
    expect(within(top).getByRole('list', { name: 'Under Coast' })).toHaveTextContent('Harbours');
    expect(within(top).getByText('/coast · 5 published posts')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Edit Coast' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Coast' });
    const under = within(dialog).getByRole('combobox', { name: 'Under' });
    expect(
      within(under)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['None (top level)', 'Cooking']);
    await user.clear(within(dialog).getByRole('textbox', { name: /Name/ }));
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Coast and sea');
    await user.selectOptions(under, COOKING);
    await user.click(within(dialog).getByRole('button', { name: 'Save category' }));

    expect(await screen.findByText('Category Coast and sea saved.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo(`/api/v1/categories/${COAST}`)[0])).toEqual({
      name: 'Coast and sea',
      description: '',
      parentId: COOKING,
      sortOrder: 0,
      slug: 'coast',
    });
  });

  it('reorders siblings by their sort order', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(paths.admin.categories, {}, treeApi, updateApi);

    expect(await screen.findByRole('button', { name: 'Move Coast up' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Move Cooking up' }));
    expect(await screen.findByText('Cooking moved up.')).toBeInTheDocument();
    // Cooking becomes 0 and Coast 1.
    expect(await bodyOf(requestsTo(`/api/v1/categories/${COOKING}`)[0])).toEqual({ sortOrder: 0 });
    expect(await bodyOf(requestsTo(`/api/v1/categories/${COAST}`)[0])).toEqual({ sortOrder: 1 });
  });

  it('deletes a category that holds posts only once told where they go', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(
      paths.admin.categories,
      {},
      treeApi,
      api.delete('/api/v1/categories/{id}', ({ request }) =>
        new URL(request.url).searchParams.get('moveTo')
          ? json(message('Deleted'))
          : json(errorEnvelope('CONFLICT', 'It holds posts', 'req-c-1'), 409),
      ),
    );

    await user.click(await screen.findByRole('button', { name: 'Delete Coast' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete Coast?' });
    expect(within(dialog).getByText(/holds 5 published posts and 1 category/)).toBeInTheDocument();
    const confirm = within(dialog).getByRole('button', { name: 'Delete category' });
    expect(confirm).toBeDisabled();
    const target = within(dialog).getByRole('combobox', { name: /Move its posts and categories to/ });
    // Not into itself or a category below it.
    expect(
      within(target)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Choose a category', 'Cooking']);
    await user.selectOptions(target, COOKING);
    await user.click(confirm);

    expect(await screen.findByText('Coast deleted; what it held is now in Cooking.')).toBeInTheDocument();
    await waitFor(() => expect(requestsTo(`/api/v1/categories/${COAST}`)).toHaveLength(1));
    expect(new URL(requestsTo(`/api/v1/categories/${COAST}`)[0].url).searchParams.get('moveTo')).toBe(COOKING);
  });

  it('creates a category under another', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(
      paths.admin.categories,
      {},
      treeApi,
      api.post('/api/v1/categories', async ({ request }) => {
        const body = await request.json();
        return json(
          envelope({ ...categoryOf('0193c5a2-cccc-7000-8000-000000000009', body.name), children: undefined }),
          201,
        );
      }),
    );
    await user.click(await screen.findByRole('button', { name: 'Add a category under Coast' }));
    const dialog = await screen.findByRole('dialog', { name: 'New category' });
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Lighthouses');
    await user.click(within(dialog).getByRole('button', { name: 'Create category' }));
    expect(await screen.findByText('Category Lighthouses created.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo('/api/v1/categories').find((r) => r.method === 'POST'))).toEqual({
      name: 'Lighthouses',
      description: '',
      parentId: COAST,
      sortOrder: 0,
    });
  });
});
