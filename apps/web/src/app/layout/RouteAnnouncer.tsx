import { VisuallyHidden } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';

/** How long a new page may take to show its heading (a session being restored, say) before <main> takes focus instead. */
const HEADING_WAIT_MS = 3000;

/** The live region's id (the browser tests read it). */
export const ROUTE_ANNOUNCER_ID = 'route-announcer';

const TITLE_SUFFIX = / · Atrium$/;

/** A text field the user is typing in: never taken away from them. */
function isEditing(element: Element | null): boolean {
  if (!(element instanceof HTMLElement)) return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

/** The page's name as its <title> says it ("Sessions · Atrium"), or its heading's text. */
function pageName(heading: HTMLElement | null): string {
  const title = document.title.replace(TITLE_SUFFIX, '').trim();
  return title || heading?.textContent?.trim() || 'New';
}

/**
 * After a client-side navigation (a new path; not the first page, not a change of query or hash),
 * moves focus to the new page's h1 — or to <main> when it shows none within a few seconds — and
 * announces "<page title> page" through a polite live region. Without it, focus stays on the link
 * that was clicked or falls to <body> when that link is gone, and screen readers say nothing.
 */
export function RouteAnnouncer({ mainId }: { mainId: string }) {
  const { pathname } = useLocation();
  const [announcement, setAnnouncement] = useState('');
  const firstPath = useRef(pathname);

  useEffect(() => {
    if (pathname === firstPath.current) return;
    firstPath.current = '';
    const main = document.getElementById(mainId);
    if (!main) return;

    let observer: MutationObserver | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let announce: ReturnType<typeof setTimeout> | undefined;
    const land = (target: HTMLElement) => {
      observer?.disconnect();
      clearTimeout(timer);
      if (!isEditing(document.activeElement)) {
        if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
        target.focus();
      }
      const heading = target.tagName === 'H1' ? target : null;
      // Cleared first and set a moment later, so that the same words (two pages with one title)
      // are announced again.
      setAnnouncement('');
      announce = setTimeout(() => setAnnouncement(`${pageName(heading)} page`), 100);
    };
    const heading = () => main.querySelector<HTMLElement>('h1');

    const found = heading();
    if (found) {
      land(found);
    } else {
      observer = new MutationObserver(() => {
        const late = heading();
        if (late) land(late);
      });
      observer.observe(main, { childList: true, subtree: true });
      timer = setTimeout(() => land(main), HEADING_WAIT_MS);
    }
    return () => {
      observer?.disconnect();
      clearTimeout(timer);
      clearTimeout(announce);
    };
  }, [pathname, mainId]);

  return (
    <VisuallyHidden id={ROUTE_ANNOUNCER_ID} role="status" aria-live="polite" aria-atomic="true">
      {announcement}
    </VisuallyHidden>
  );
}
