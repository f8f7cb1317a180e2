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

    let landed: HTMLElement | undefined;
    let announce: ReturnType<typeof setTimeout> | undefined;
    const focus = (target: HTMLElement) => {
      if (isEditing(document.activeElement)) return;
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    };
    const land = (target: HTMLElement) => {
      landed = target;
      focus(target);
      const heading = target.tagName === 'H1' ? target : null;
      // Cleared first and set a moment later, so that the same words (two pages with one title)
      // are announced again.
      setAnnouncement('');
      announce = setTimeout(() => setAnnouncement(`${pageName(heading)} page`), 100);
    };
    const heading = () => main.querySelector<HTMLElement>('h1');

    // Watched for a few seconds: the heading may come later (the page's data, a session being
    // restored), and a page may replace the heading of its loading state with its own, taking
    // focus away with the old one; focus follows to the new heading then, said only once.
    const observer = new MutationObserver(() => {
      const current = heading();
      if (!current) return;
      if (!landed) land(current);
      else if (current !== landed && !landed.isConnected && document.activeElement === document.body) focus(current);
    });
    observer.observe(main, { childList: true, subtree: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      if (!landed) land(main);
    }, HEADING_WAIT_MS);
    const found = heading();
    if (found) land(found);

    return () => {
      observer.disconnect();
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
