import { useEffect, useState } from 'react';

/**
 * What `load` resolves to (a module, lazily imported), loaded the first time `wanted` is true;
 * `undefined` until then. Unlike `React.lazy` nothing suspends: the caller renders without it
 * meanwhile, and an update that wants it is not held back while it loads. `load` must be the same
 * function on every render (declare it outside the component).
 */
export function useLoadedWhen<T>(wanted: boolean, load: () => Promise<T>): T | undefined {
  const [loaded, setLoaded] = useState<{ value: T }>();
  const loading = wanted && loaded === undefined;

  useEffect(() => {
    if (!loading) return;
    let current = true;
    void load().then((value) => {
      if (current) setLoaded({ value });
    });
    return () => {
      current = false;
    };
  }, [loading, load]);

  return loaded?.value;
}
