import type { CrmKind, CrmLinkDto, ExportRunDto, NeedsAttentionDto, PushResultDto, StartExportBody } from '@conduit/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export const exportKeys = {
  links: (personId: string) => ['people', 'detail', personId, 'crm-links'] as const,
};

/** The person's CRM records, for the CRM badges. */
export function useCrmLinks(personId: string) {
  return useQuery({
    queryKey: exportKeys.links(personId),
    queryFn: ({ signal }) => api.get<CrmLinkDto[]>(`/people/${encodeURIComponent(personId)}/crm-links`, undefined, signal),
  });
}

/** "Push to HubSpot / Salesforce": exports the person now, whatever the export policy. */
export function usePushPerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ personId, crm }: { personId: string; crm: CrmKind }) => api.post<PushResultDto>(`/people/${encodeURIComponent(personId)}/push/${crm}`),
    onSuccess: (_result, { personId }) => queryClient.invalidateQueries({ queryKey: exportKeys.links(personId) }),
  });
}

export function useNeedsAttention() {
  return useQuery({ queryKey: ['export', 'needs-attention'] as const, queryFn: ({ signal }) => api.get<NeedsAttentionDto[]>('/export/needs-attention', undefined, signal) });
}

/** Exports the person of a Needs-attention item again (after fixing the person or the mapping). */
export function useRetryNeedsAttention() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<PushResultDto>(`/export/needs-attention/${encodeURIComponent(id)}/retry`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['export', 'needs-attention'] }),
  });
}

/** Bulk export (follows the export policy); the run is then polled for progress. */
export function useStartExport() {
  return useMutation({ mutationFn: ({ crm, body }: { crm: CrmKind; body: StartExportBody }) => api.post<ExportRunDto>(`/export/${crm}`, body) });
}

export function useExportRun(id: string | null) {
  return useQuery({
    queryKey: ['export', 'runs', id] as const,
    queryFn: ({ signal }) => api.get<ExportRunDto>(`/export/runs/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'done' || q.state.data.status === 'failed') ? false : 1000),
  });
}
