import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { useAuth } from '../../auth';
import { deleteMedia, fetchMedia, type Media, type MediaChanges, updateMedia } from './media.api';

/** Images per page of the library (and of the picker). */
export const MEDIA_PAGE_SIZE = 24;

/** Every key holds the signed-in user's id: one account's images never show to the next one. */
export const mediaKeys = {
  all: ['media'] as const,
  lists: (user: string) => [...mediaKeys.all, user, 'list'] as const,
  list: (user: string, page: number) => [...mediaKeys.lists(user), page] as const,
};

function useUserId(): string {
  return useAuth().user?.id ?? '';
}

export function useMediaList(page: number, { enabled = true }: { enabled?: boolean } = {}) {
  const user = useUserId();
  return useQuery({
    queryKey: mediaKeys.list(user, page),
    queryFn: ({ signal }) => fetchMedia({ page, perPage: MEDIA_PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The library changed (an upload, an edit, a deletion): every page is read again. */
export function useRefreshMedia() {
  const queryClient = useQueryClient();
  const user = useUserId();
  return () => queryClient.invalidateQueries({ queryKey: mediaKeys.lists(user) });
}

export function useUpdateMedia() {
  const refresh = useRefreshMedia();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: MediaChanges }): Promise<Media> => updateMedia(id, changes),
    onSuccess: () => void refresh(),
  });
}

export function useDeleteMedia() {
  const refresh = useRefreshMedia();
  return useMutation({
    mutationFn: ({ id, force }: { id: string; force: boolean }) => deleteMedia(id, force),
    onSuccess: () => void refresh(),
  });
}
