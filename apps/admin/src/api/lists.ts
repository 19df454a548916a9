import type { CrmListDto, CrmListSyncResultDto, UpdateCrmListDto } from '@conduit/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export interface CrmListsQuery {
  crm?: 'hubspot' | 'salesforce' | null;
  search?: string;
}

export const listKeys = {
  all: ['crm-lists'] as const,
  browse: (query: CrmListsQuery) => ['crm-lists', 'browse', query] as const,
};

const syncing = (l: CrmListDto) => l.syncStatus === 'pending' || l.syncStatus === 'running';

/** HubSpot lists and Salesforce Campaigns of the connected CRMs (the API re-reads the catalog on each call). */
export function useCrmLists(query: CrmListsQuery = {}) {
  return useQuery({
    queryKey: listKeys.browse(query),
    queryFn: ({ signal }) => api.get<CrmListDto[]>('/crm-lists', { crm: query.crm, search: query.search?.trim() }, signal),
    placeholderData: keepPreviousData,
    // A sync takes seconds to minutes: poll while one is on its way so status and size update on their own.
    refetchInterval: (q) => (q.state.data?.some(syncing) ? 3000 : false),
  });
}

/** Re-reads a list's membership now (202: queued); with the forecast the admin was shown, the list keeps it (#17). */
export function useSyncCrmList() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, forecastId }: { id: string; forecastId?: string }) => api.post<CrmListSyncResultDto>(`/crm-lists/${encodeURIComponent(id)}/sync`, forecastId ? { forecastId } : {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: listKeys.all }),
  });
}

export function useUpdateCrmList() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateCrmListDto }) => api.patch<CrmListDto>(`/crm-lists/${encodeURIComponent(id)}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: listKeys.all }),
  });
}

