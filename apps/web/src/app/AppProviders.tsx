import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './global.css';

import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { useNotifications } from '@mantine/notifications';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';

import { SessionSync } from '../features/auth';
import { useLoadedWhen } from '../lib/load-when';
import { ApplyPreferences } from './ApplyPreferences';
import { cssVariablesResolver, theme } from './theme';

const loadToastArea = () => import('./ToastArea');

/**
 * The toast area, loaded with the first toast (its code: transitions, stacking, drag to dismiss):
 * a reader who is shown none does not load it. A toast shown before it is there waits in Mantine's
 * store and appears when it is.
 */
function Toasts({ warm }: { warm: boolean }) {
  const { notifications, queue } = useNotifications();
  const ToastArea = useLoadedWhen(notifications.length + queue.length > 0, loadToastArea)?.ToastArea;

  // Tests (jsdom): the module is fetched at once, so that a test's first toast does not wait for
  // it to be loaded; the toast area still appears only with the first toast, as in a browser.
  useEffect(() => {
    if (warm) void loadToastArea();
  }, [warm]);

  return ToastArea ? <ToastArea /> : null;
}

interface AppProvidersProps {
  queryClient: QueryClient;
  children: ReactNode;
  /**
   * `test` (jsdom): no transitions, and popovers do not hide themselves for a "detached" target,
   * which jsdom's empty layout would otherwise report at random.
   */
  mantineEnv?: 'default' | 'test';
}

/**
 * Everything a page may rely on: theme, query cache, session, applied preferences and the toast
 * area (loaded with the first toast). Date pickers and charts bring their styles with them
 * (components/ui/dates.ts, charts.ts), so pages without them do not load them.
 */
export function AppProviders({ queryClient, children, mantineEnv = 'default' }: AppProvidersProps) {
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      defaultColorScheme="auto"
      env={mantineEnv}
    >
      {/* The SPA is in English (index.html): calendars start on Monday, as Mantine's default. */}
      <DatesProvider settings={{ locale: 'en' }}>
        <QueryClientProvider client={queryClient}>
          <SessionSync />
          <ApplyPreferences />
          <Toasts warm={mantineEnv === 'test'} />
          {children}
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
