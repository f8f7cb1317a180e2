import '@testing-library/jest-dom/vitest';

import { notifications } from '@mantine/notifications';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';

import { resetSession } from '../lib/session';
import { forgetRequests, server } from './msw';

// findBy*/waitFor give up after 5 s instead of Testing Library's 1 s: in CI these tests share two
// cores with the fuzzer, and a save-then-navigate once took longer than 1 s there (the editor's
// "Save and leave" test failed CI at e567ee9 while passing alone and under four busy loops).
// A tolerance for a loaded machine, not a bound on anything a user sees.
configure({ asyncUtilTimeout: 5000 });

// jsdom lacks the layout APIs Mantine reads (media queries for colour scheme and responsive props).
// No query matches (light, no reduced motion, narrow), except the empty one, which a browser matches.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  configurable: true,
  value: vi.fn((query: string) => ({
    matches: query.trim() === '',
    media: query,
    onchange: null,
    addListener: vi.fn(),
    removeListener: vi.fn(),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
    dispatchEvent: vi.fn(),
  })),
});

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserverStub;

// jsdom has no Font Loading API; Mantine's autosizing Textarea listens to it.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    configurable: true,
    value: { addEventListener: vi.fn(), removeEventListener: vi.fn(), ready: Promise.resolve() },
  });
}

Object.defineProperty(window, 'scrollTo', { writable: true, configurable: true, value: () => {} });

// Test files share one environment (vitest `isolate: false`): each starts and ends the mock API,
// and every test leaves nothing behind for the next — handlers, requests, toasts, storage, session.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  forgetRequests();
  notifications.clean();
  window.localStorage.clear();
  document.documentElement.removeAttribute('style');
  document.documentElement.removeAttribute('data-reduce-motion');
  resetSession();
});
afterAll(() => server.close());
