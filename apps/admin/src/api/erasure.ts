import type { ErasureAuditDto, ErasureResultDto } from '@conduit/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { peopleKeys } from './people';

export const erasureKeys = { audit: ['erasure', 'audit'] as const };

/** Erases one person (admins): their data is deleted and only a salted hash of the email stays, so they never come back. */
export function useErasePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, deleteInHubspot }: { id: string; deleteInHubspot: boolean }) =>
      api.post<ErasureResultDto>(`/people/${encodeURIComponent(id)}/erasure`, { deleteInHubspot }),
    onSuccess: (_data, { id }) => {
      queryClient.removeQueries({ queryKey: peopleKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: erasureKeys.audit });
      return queryClient.invalidateQueries({ queryKey: peopleKeys.all });
    },
  });
}

/** Erases every address of a CSV with an email column. */
export function useEraseCsv() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ csv, deleteInHubspot }: { csv: string; deleteInHubspot: boolean }) =>
      api.post<ErasureResultDto>(`/erasure/import-csv?deleteInHubspot=${deleteInHubspot ? 'true' : 'false'}`, csv, 'text/csv'),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: erasureKeys.audit });
      return queryClient.invalidateQueries({ queryKey: peopleKeys.all });
    },
  });
}

/** Who erased how many people and when, with how the HubSpot deletion went (never whom). */
export function useErasureAudit() {
  return useQuery({
    queryKey: erasureKeys.audit,
    queryFn: ({ signal }) => api.get<ErasureAuditDto[]>('/erasure/audit', undefined, signal),
    refetchInterval: (q) => (q.state.data?.some((e) => e.hubspotStatus === 'pending') ? 2000 : false),
  });
}
