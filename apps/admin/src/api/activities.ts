import type {
  ActivityDeliveryStatus,
  ActivityDto,
  ActivityListDto,
  ActivitySettingsDto,
  ActivityType,
  CrmKind,
  UpdateActivitySettingsBody,
} from '@conduit/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';

export interface ActivityListQuery {
  type?: ActivityType | null;
  status?: ActivityDeliveryStatus | null;
  personId?: string | null;
  crm?: CrmKind | null;
  page?: number;
  pageSize?: number;
}

export const activityKeys = {
  all: ['activities'] as const,
  list: (query: ActivityListQuery) => ['activities', 'list', query] as const,
  person: (personId: string) => ['activities', 'person', personId] as const,
  settings: (crm: CrmKind) => ['connections', crm, 'activity-settings'] as const,
};

/** The Activity log: newest first, filtered by type / delivery status. */
export function useActivities(query: ActivityListQuery) {
  return useQuery({
    queryKey: activityKeys.list(query),
    queryFn: ({ signal }) => api.get<ActivityListDto>('/activities', { ...query }, signal),
    placeholderData: keepPreviousData,
    // Deliveries settle within seconds: keep polling while any shown activity is still on its way.
    refetchInterval: (q) => (q.state.data?.items.some(inFlight) ? 2000 : false),
  });
}

const inFlight = (a: ActivityDto) => a.deliveries.some((d) => d.status === 'pending');

/** The person's activity timeline as Conduit sees it. */
export function usePersonActivities(personId: string) {
  return useQuery({
    queryKey: activityKeys.person(personId),
    queryFn: ({ signal }) => api.get<ActivityDto[]>(`/people/${encodeURIComponent(personId)}/activities`, undefined, signal),
    refetchInterval: (q) => (q.state.data?.some(inFlight) ? 2000 : false),
  });
}

/** Queues the failed deliveries of an activity again. */
export function useRetryActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<ActivityDto>(`/activities/${encodeURIComponent(id)}/retry`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: activityKeys.all }),
  });
}

export function useActivitySettings(crm: CrmKind) {
  return useQuery({
    queryKey: activityKeys.settings(crm),
    queryFn: ({ signal }) => api.get<ActivitySettingsDto>(`/connections/${crm}/activity-settings`, undefined, signal),
  });
}

export function useSaveActivitySettings(crm: CrmKind) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateActivitySettingsBody) => apiRequest<ActivitySettingsDto>(`/connections/${crm}/activity-settings`, { method: 'PUT', body }),
    onSuccess: (data) => queryClient.setQueryData(activityKeys.settings(crm), data),
  });
}
