import type {
  ContactSourceFieldsDto,
  CrmKind,
  CrmLinkDto,
  ExportRunDto,
  ExportSettingsDto,
  NeedsAttentionDto,
  OwnerMappingDto,
  PushResultDto,
  StartExportBody,
  StatusMappingDto,
  UpdateExportSettingsBody,
  UpdateOwnerMappingBody,
  UpdateStatusMappingBody,
} from '@conduit/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';

export const exportKeys = {
  links: (personId: string) => ['people', 'detail', personId, 'crm-links'] as const,
  peopleLinks: (personIds: readonly string[]) => ['export', 'crm-links', [...personIds].sort().join(',')] as const,
};

/** A CRM record of one of several people. */
export type PersonCrmLink = CrmLinkDto & { personId: string };

/** The CRM records of the people on a page (≤ 200), for the Prospects table's CRM badges. */
export function usePeopleCrmLinks(personIds: readonly string[]) {
  return useQuery({
    queryKey: exportKeys.peopleLinks(personIds),
    queryFn: ({ signal }) => api.get<PersonCrmLink[]>('/export/crm-links', { personIds: personIds.join(',') }, signal),
    enabled: personIds.length > 0,
  });
}

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
    onSuccess: async (_result, { personId }) => {
      await queryClient.invalidateQueries({ queryKey: exportKeys.links(personId) });
      await queryClient.invalidateQueries({ queryKey: ['export', 'crm-links'] });
    },
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

const settingsKey = (crm: CrmKind, part: string) => ['connections', crm, 'export', part] as const;

export function useExportSettings(crm: CrmKind) {
  return useQuery({ queryKey: settingsKey(crm, 'settings'), queryFn: ({ signal }) => api.get<ExportSettingsDto>(`/connections/${crm}/export-settings`, undefined, signal) });
}

export const contactSourceFieldsKey = (crm: CrmKind) => settingsKey(crm, 'contact-source-fields');

/** The contact-source picker's fields (writable fields of the object people are exported as, from discovery). */
export function useContactSourceFields(crm: CrmKind) {
  return useQuery({
    queryKey: contactSourceFieldsKey(crm),
    queryFn: ({ signal }) => api.get<ContactSourceFieldsDto>(`/connections/${crm}/export-settings/contact-source-fields`, undefined, signal),
  });
}

export function useSaveExportSettings(crm: CrmKind) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateExportSettingsBody) => apiRequest<ExportSettingsDto>(`/connections/${crm}/export-settings`, { method: 'PUT', body }),
    onSuccess: async (data, body) => {
      queryClient.setQueryData(settingsKey(crm, 'settings'), data);
      // The picker offers the fields of the object people are written to (Salesforce Lead or Contact).
      if (body.salesforceObject) await queryClient.invalidateQueries({ queryKey: contactSourceFieldsKey(crm) });
    },
  });
}

export function useOwnerMapping(crm: CrmKind, enabled: boolean) {
  return useQuery({ queryKey: settingsKey(crm, 'owners'), queryFn: ({ signal }) => api.get<OwnerMappingDto>(`/connections/${crm}/owner-mapping`, undefined, signal), enabled });
}

export function useSaveOwnerMapping(crm: CrmKind) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateOwnerMappingBody) => apiRequest<OwnerMappingDto>(`/connections/${crm}/owner-mapping`, { method: 'PUT', body }),
    onSuccess: (data) => queryClient.setQueryData(settingsKey(crm, 'owners'), data),
  });
}

export function useStatusMapping(crm: CrmKind, enabled: boolean) {
  return useQuery({ queryKey: settingsKey(crm, 'status'), queryFn: ({ signal }) => api.get<StatusMappingDto>(`/connections/${crm}/status-mapping`, undefined, signal), enabled });
}

export function useSaveStatusMapping(crm: CrmKind) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateStatusMappingBody) => apiRequest<StatusMappingDto>(`/connections/${crm}/status-mapping`, { method: 'PUT', body }),
    onSuccess: (data) => queryClient.setQueryData(settingsKey(crm, 'status'), data),
  });
}
