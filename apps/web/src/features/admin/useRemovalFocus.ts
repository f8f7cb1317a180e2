import { useRef } from 'react';

/**
 * After a confirmation dialog removed its row (delete, merge), the button that opened it is gone,
 * so focus would fall to the page's start: it goes to the page's h1 instead, once the dialog has
 * closed. `markRemoved()` on success; spread `modalProps` into the Modal.
 */
export function useRemovalFocus() {
  const removed = useRef(false);
  return {
    markRemoved: () => {
      removed.current = true;
    },
    modalProps: {
      onExitTransitionEnd: () => {
        if (!removed.current) return;
        removed.current = false;
        const heading = document.querySelector<HTMLElement>('main h1');
        if (!heading) return;
        heading.tabIndex = -1;
        heading.focus();
      },
    },
  };
}
