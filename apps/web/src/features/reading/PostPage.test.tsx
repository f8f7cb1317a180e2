import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths, postPath } from '../../app/paths';
import { envelope, errorEnvelope } from '../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { PostPage } from './PostPage';
import { tidesPost } from './test-fixtures';

const renderPost = (slug: string) => renderPage([{ path: paths.post, element: <PostPage /> }], postPath(slug));

const postApi = api.get('/api/v1/posts/{id}', ({ params }) =>
  params.id === tidesPost.slug
    ? json(envelope(tidesPost))
    : json(errorEnvelope('NOT_FOUND', 'No such post', 'req-post-404'), 404),
);

describe('A post’s page', () => {
  it('shows the title as the h1, the author, category, tags, date, reading time and level, views, and the rendered body', async () => {
    useApi(
      api.get('/api/v1/posts/{id}', ({ params }) =>
        params.id === tidesPost.slug ? json(envelope({ ...tidesPost, viewCount: 1204 })) : undefined,
      ),
    );
    renderPost(tidesPost.slug);

    const article = within(await screen.findByRole('article', { name: 'Tides of the North Sea' }));
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    expect(article.getByRole('heading', { level: 1, name: 'Tides of the North Sea' })).toBeInTheDocument();
    // The body's HTML, rendered: its headings start at h2.
    const body = screen.getByTestId('post-body');
    expect(within(body).getByRole('heading', { level: 2, name: 'High water' })).toBeInTheDocument();
    expect(within(body).getByText('harbour').tagName).toBe('STRONG');
    expect(article.getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/u/ada');
    expect(article.getByRole('link', { name: 'Harbours' })).toHaveAttribute('href', '/categories/harbours');
    const tags = within(article.getByRole('list', { name: 'Tags' }));
    expect(tags.getByRole('link', { name: 'Coast' })).toHaveAttribute('href', '/tags/coast');
    expect(tags.getByRole('link', { name: 'Sea life' })).toHaveAttribute('href', '/tags/sea-life');
    expect(article.getByText(/4 min read · Reading level: grade 7/)).toBeInTheDocument();
    expect(article.getByText(new RegExp(`· ${new Intl.NumberFormat().format(1204)} views`))).toBeInTheDocument();
    const published = article.getByText(/2025/, { selector: 'time' });
    expect(published).toHaveAttribute('datetime', tidesPost.publishedAt);
    expect(published).toHaveTextContent(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'long' }).format(new Date(tidesPost.publishedAt!)),
    );
    expect(article.queryByText('Members only')).not.toBeInTheDocument();
    expect(document.title).toBe('Tides of the North Sea · Atrium');
  });

  it('shows the cover above the body: every variant in srcset, its size held, its alt text', async () => {
    const cover = {
      id: '0193c5a2-5000-7000-8000-000000000001',
      url: '/api/v1/media/files/cover1600',
      srcset: '/api/v1/media/files/cover480 480w, /api/v1/media/files/cover1600 1600w',
      width: 1600,
      height: 900,
      altText: 'Boats on the mud at low water',
    };
    useApi(api.get('/api/v1/posts/{id}', () => json(envelope({ ...tidesPost, cover }))));
    renderPost(tidesPost.slug);

    const article = within(await screen.findByRole('article', { name: 'Tides of the North Sea' }));
    const image = article.getByRole('img', { name: 'Boats on the mud at low water' });
    expect(image).toHaveAttribute('srcset', cover.srcset);
    expect(image).toHaveAttribute('sizes');
    expect(image).toHaveAttribute('width', '1600');
    expect(image).toHaveAttribute('height', '900');
    expect(screen.getByTestId('post-body')).not.toContainElement(image);
  });

  it('asks a visitor to sign in for a members-only post, coming back to it afterwards', async () => {
    useApi(
      api.get('/api/v1/posts/{id}', () =>
        json(errorEnvelope('UNAUTHENTICATED', 'Authentication required', 'req-post-401'), 401),
      ),
    );
    renderPost('for-members');

    expect(await screen.findByRole('heading', { level: 1, name: 'This post is for members' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in to read' })).toHaveAttribute(
      'href',
      '/sign-in?returnTo=%2Fposts%2Ffor-members',
    );
    expect(screen.queryByTestId('post-body')).not.toBeInTheDocument();
  });

  it('shows a members-only post to a signed-in member, asked with their token', async () => {
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.get('/api/v1/posts/{id}', ({ request }) =>
        request.headers.get('authorization') === 'Bearer access-1'
          ? json(envelope({ ...tidesPost, visibility: 'members' as const }))
          : json(errorEnvelope('UNAUTHENTICATED', 'Authentication required', 'req-post-401'), 401),
      ),
    );
    renderPost(tidesPost.slug);

    expect(await screen.findByRole('heading', { level: 1, name: 'Tides of the North Sea' })).toBeInTheDocument();
    expect(screen.getByText('Members only')).toBeInTheDocument();
    // Asked once the session was back, never without the token.
    expect(requestsTo(`/api/v1/posts/${tidesPost.slug}`)).toHaveLength(1);
  });

  it('says the post does not exist on 404', async () => {
    useApi(postApi);
    renderPost('no-such-post');

    expect(await screen.findByRole('heading', { level: 1, name: 'Post not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the posts' })).toHaveAttribute('href', paths.posts);
    expect(document.title).toBe('Post not found · Atrium');
  });

  it('moves to the post’s current slug when the API followed an old one, replacing the old address', async () => {
    useApi(
      api.get('/api/v1/posts/{id}', ({ params }) =>
        params.id === 'tides-old'
          ? json(envelope({ id: tidesPost.id, slug: tidesPost.slug }), 301, {
              Location: `/api/v1/posts/${tidesPost.slug}`,
            })
          : json(envelope(tidesPost)),
      ),
    );
    const { router } = renderPost('tides-old');

    expect(await screen.findByRole('heading', { level: 1, name: 'Tides of the North Sea' })).toBeInTheDocument();
    await screen.findByText('High water');
    expect(router.state.location.pathname).toBe(postPath(tidesPost.slug));
    expect(router.state.historyAction).toBe('REPLACE');
    // The post at its new address was not asked for a second time.
    expect(requestsTo(`/api/v1/posts/${tidesPost.slug}`)).toHaveLength(1);
    expect(requestsTo('/api/v1/posts/tides-old')).toHaveLength(1);
  });

  it('offers a retry when the post cannot be loaded, with the error code', async () => {
    const user = userEvent.setup({ delay: null });
    let fail = true;
    useApi(
      api.get('/api/v1/posts/{id}', () =>
        fail
          ? json(errorEnvelope('INTERNAL_ERROR', 'Something went wrong', 'req-post-500'), 500)
          : json(envelope(tidesPost)),
      ),
    );
    renderPost(tidesPost.slug);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('INTERNAL_ERROR · HTTP 500')).toBeInTheDocument();
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Tides of the North Sea' })).toBeInTheDocument();
  });
});
