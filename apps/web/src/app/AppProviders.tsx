import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './global.css';

import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { SessionSync } from '../features/auth';
import { ApplyPreferences } from './ApplyPreferences';
import { cssVariablesResolver, theme } from './theme';

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
 * area. Date pickers and charts bring their styles with them (components/ui/dates.ts, charts.ts),
 * so pages without them do not load them.
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
          <Notifications position="top-right" />
          {children}
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
