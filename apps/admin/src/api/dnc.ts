import type { DncSettingsDto, PersonDncDto, UpdateDncSettingsDto } from '@conduit/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';

export const dncKeys = {
  settings: ['dnc', 'settings'] as const,
  person: (personId: string) => ['dnc', 'person', personId] as const,
};

export function useDncSettings() {
  return useQuery({ queryKey: dncKeys.settings, queryFn: ({ signal }) => api.get<DncSettingsDto>('/dnc/settings', undefined, signal) });
}

export function useSaveDncSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateDncSettingsDto) => apiRequest<DncSettingsDto>('/dnc/settings', { method: 'PUT', body }),
    onSuccess: (data) => {
      queryClient.setQueryData(dncKeys.settings, data);
      // Recipient counts and every person's status depend on these rules.
      return Promise.all([queryClient.invalidateQueries({ queryKey: ['campaigns'] }), queryClient.invalidateQueries({ queryKey: ['dnc', 'person'] })]);
    },
  });
}

/** Re-reads deals and company customer status from the connected CRMs now (202: queued). */
export function useSyncDeals() {
  return useMutation({ mutationFn: () => api.post<{ jobIds: string[] }>('/dnc/sync', {}) });
}

export function usePersonDnc(personId: string) {
  return useQuery({
    queryKey: dncKeys.person(personId),
    queryFn: ({ signal }) => api.get<PersonDncDto>(`/people/${encodeURIComponent(personId)}/dnc`, undefined, signal),
  });
}
