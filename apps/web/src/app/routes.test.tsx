import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { infoEnvelope, readyBody } from '../test/api-fixtures';
import { mockApi } from '../test/fetch-mock';
import { renderApp } from '../test/render';

describe('app shell and routing', () => {
  it('shows "Page not found" for an unknown path, with a link back home that works', async () => {
    const user = userEvent.setup();
    mockApi({
      '/api/v1/info': () => ({ status: 200, body: infoEnvelope() }),
      '/readiness': () => ({ status: 200, body: readyBody }),
    });
    const { router } = renderApp('/some/deep/link');

    expect(screen.getByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByText('/some/deep/link')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'System status' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: 'Back to the home page' }));

    expect(router.state.location.pathname).toBe('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'System status' })).toBeInTheDocument();
  });

  it('has a banner with the Atrium name, a main landmark and navigation to the status page and API docs', () => {
    mockApi({
      '/api/v1/info': () => ({ status: 200, body: infoEnvelope() }),
      '/readiness': () => ({ status: 200, body: readyBody }),
    });
    renderApp('/');

    const banner = screen.getByRole('banner');
    expect(within(banner).getByRole('link', { name: 'Atrium' })).toHaveAttribute('href', '/');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Status' })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getByRole('link', { name: 'API docs' })).toHaveAttribute('href', '/docs');
    expect(screen.getByRole('main')).toContainElement(screen.getByRole('heading', { level: 1 }));
    expect(screen.getByRole('link', { name: 'Skip to main content' })).toHaveAttribute('href', '#main-content');
  });
});
