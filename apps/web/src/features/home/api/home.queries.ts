import { queryOptions, useQuery } from '@tanstack/react-query';

import { fetchSiteInfo } from './home.api';

export const homeKeys = {
  site: ['home', 'site'] as const,
};

export const siteInfoQueryOptions = () =>
  queryOptions({
    queryKey: homeKeys.site,
    queryFn: ({ signal }) => fetchSiteInfo(signal),
    // Asked again whenever the home page opens: the name changes at setup, and revalidating is cheap.
    staleTime: 0,
  });

export const useSiteInfo = () => useQuery(siteInfoQueryOptions());
