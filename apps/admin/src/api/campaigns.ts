import type {
  CampaignDto,
  CampaignListsRefreshDto,
  CampaignSuppressionDto,
  CreateCampaignDto,
  ExcludedPageDto,
  RecipientCountsDto,
  RecipientsPageDto,
  UpdateCampaignDto,
} from '@conduit/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';
import { listKeys } from './lists';

export const campaignKeys = {
  all: ['campaigns'] as const,
  list: () => ['campaigns', 'list'] as const,
  detail: (id: string) => ['campaigns', 'detail', id] as const,
  counts: (id: string) => ['campaigns', 'detail', id, 'counts'] as const,
  recipients: (id: string, page: number, pageSize: number) => ['campaigns', 'detail', id, 'recipients', page, pageSize] as const,
  excluded: (id: string, page: number, pageSize: number) => ['campaigns', 'detail', id, 'excluded', page, pageSize] as const,
  workspaceSuppressions: ['suppression-lists'] as const,
};

export function useCampaigns() {
  return useQuery({ queryKey: campaignKeys.list(), queryFn: ({ signal }) => api.get<CampaignDto[]>('/campaigns', undefined, signal) });
}

export function useCampaign(id: string | null) {
  return useQuery({
    queryKey: campaignKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<CampaignDto>(`/campaigns/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: id !== null,
    // Its lists change underneath it (a sync flags a list deleted or unreadable in the CRM): opening the page reads it afresh.
    refetchOnMount: 'always',
  });
}

/** Where lists are used changes with every campaign save: the Lists page's "where used" too. */
function useInvalidateCampaigns() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: campaignKeys.all }), queryClient.invalidateQueries({ queryKey: listKeys.all })]);
}

export function useCreateCampaign() {
  const invalidate = useInvalidateCampaigns();
  return useMutation({
    mutationFn: (body: CreateCampaignDto) => api.post<CampaignDto>('/campaigns', body),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateCampaign() {
  const invalidate = useInvalidateCampaigns();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateCampaignDto }) => api.patch<CampaignDto>(`/campaigns/${encodeURIComponent(id)}`, body),
    onSuccess: () => invalidate(),
  });
}

export function useDeleteCampaign() {
  const invalidate = useInvalidateCampaigns();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/campaigns/${encodeURIComponent(id)}`),
    onSuccess: () => invalidate(),
  });
}

/** Refresh: queues a membership sync of the campaign's CRM lists; the lists (their sync status) and counts refresh. */
export function useRefreshCampaignLists(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<CampaignListsRefreshDto>(`/campaigns/${encodeURIComponent(id)}/refresh-lists`),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: listKeys.all });
      await queryClient.invalidateQueries({ queryKey: campaignKeys.counts(id) });
    },
  });
}

/** `poll`: a list of the campaign is syncing, so the counts (and the pages, through the shared key) move. */
export function useRecipientCounts(id: string, poll = false) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: campaignKeys.counts(id),
    queryFn: async ({ signal }) => {
      const counts = await api.get<RecipientCountsDto>(`/campaigns/${encodeURIComponent(id)}/recipients/counts`, undefined, signal);
      // New counts mean the pages may have changed too.
      void queryClient.invalidateQueries({ queryKey: ['campaigns', 'detail', id, 'recipients'] });
      void queryClient.invalidateQueries({ queryKey: ['campaigns', 'detail', id, 'excluded'] });
      return counts;
    },
    refetchInterval: poll ? 2000 : false,
  });
}

export function useRecipients(id: string, page: number, pageSize: number, enabled = true) {
  return useQuery({
    queryKey: campaignKeys.recipients(id, page, pageSize),
    queryFn: ({ signal }) => api.get<RecipientsPageDto>(`/campaigns/${encodeURIComponent(id)}/recipients`, { page, pageSize }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useExcludedRecipients(id: string, page: number, pageSize: number, enabled = true) {
  return useQuery({
    queryKey: campaignKeys.excluded(id, page, pageSize),
    queryFn: ({ signal }) => api.get<ExcludedPageDto>(`/campaigns/${encodeURIComponent(id)}/recipients/excluded`, { page, pageSize }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Suppression lists that apply to every campaign. */
export function useWorkspaceSuppressions() {
  return useQuery({
    queryKey: campaignKeys.workspaceSuppressions,
    queryFn: ({ signal }) => api.get<CampaignSuppressionDto[]>('/suppression-lists', undefined, signal),
  });
}

export function useSetWorkspaceSuppressions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (listIds: string[]) => apiRequest<CampaignSuppressionDto[]>('/suppression-lists', { method: 'PUT', body: { listIds } }),
    onSuccess: (data) => {
      queryClient.setQueryData(campaignKeys.workspaceSuppressions, data);
      return Promise.all([queryClient.invalidateQueries({ queryKey: campaignKeys.all }), queryClient.invalidateQueries({ queryKey: listKeys.all })]);
    },
  });
}
