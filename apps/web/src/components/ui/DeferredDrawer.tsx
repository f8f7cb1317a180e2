import type { DrawerProps } from '@mantine/core';
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';

type DrawerComponent = (typeof import('./drawer'))['Drawer'];

/**
 * Mantine's Drawer, its code (modal base, focus trap, scroll lock, transitions) loaded the first
 * time it opens: a page whose drawer stays closed (the header's menu on a wide screen, or never
 * opened) does not load it. Once loaded it is put on the page closed and then opened, as a drawer
 * that was always there: Mantine notes where focus was when it opens, to give it back on close.
 */
export function DeferredDrawer(props: DrawerProps) {
  const [loaded, setLoaded] = useState<{ Drawer: DrawerComponent; ready: boolean } | null>(null);
  const wanted = props.opened && loaded === null;

  useEffect(() => {
    if (!wanted) return;
    let current = true;
    void import('./drawer').then(({ Drawer }) => {
      if (!current) return;
      // Closed first (committed at once), then following `opened`.
      flushSync(() => setLoaded({ Drawer, ready: false }));
      setLoaded({ Drawer, ready: true });
    });
    return () => {
      current = false;
    };
  }, [wanted]);

  if (!loaded) return null;
  const { Drawer, ready } = loaded;
  return <Drawer {...props} opened={props.opened && ready} />;
}
