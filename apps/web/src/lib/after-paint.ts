import { useEffect, useState } from 'react';

/**
 * False on the render that first puts the component on the page, true from the next task on: for
 * what should load once a page's content is on screen rather than with it (the comments under a
 * post, whose code then does not count towards the post's first load).
 */
export function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setPainted(true), 0);
    return () => clearTimeout(timer);
  }, []);
  return painted;
}
