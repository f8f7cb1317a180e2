import { useSearchParams } from 'react-router';

/**
 * A list's filters, sort and page kept in the address (shareable, kept by Back). `update` sets or
 * (for an empty value) removes parameters; any change but the page's starts again at page 1.
 */
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const get = (name: string) => params.get(name)?.trim() ?? '';
  const page = Math.max(1, Math.floor(Number(params.get('page')) || 1));

  const update = (changes: Record<string, string | undefined>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        if (!('page' in changes)) next.delete('page');
        return next;
      },
      { preventScrollReset: true },
    );

  return { get, page, update };
}
