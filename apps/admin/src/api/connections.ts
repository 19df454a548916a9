import type {
  AuthorizeConnectionResponse,
  ConnectionDto,
  ConnectionMappingDto,
  CrmKind,
  MappingObjectDto,
  MappingRowDto,
  SourceOfTruthDto,
  UpdateMappingBody,
  UpdateSourceOfTruthBody,
} from '@conduit/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';

export const connectionKeys = {
  all: ['connections'] as const,
  mapping: (crm: CrmKind, object: MappingObjectDto) => ['connections', crm, 'mapping', object] as const,
  sourceOfTruth: (object: MappingObjectDto) => ['connections', 'source-of-truth', object] as const,
};

/** Which CRM each Conduit field's value comes from when several CRMs are connected. */
export function useSourceOfTruth(object: MappingObjectDto, enabled: boolean) {
  return useQuery({
    queryKey: connectionKeys.sourceOfTruth(object),
    queryFn: ({ signal }) => api.get<SourceOfTruthDto>(`/mapping/source-of-truth/${object}`, undefined, signal),
    enabled,
  });
}

export function useSaveSourceOfTruth(object: MappingObjectDto) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (rules: UpdateSourceOfTruthBody['rules']) =>
      apiRequest<SourceOfTruthDto>(`/mapping/source-of-truth/${object}`, { method: 'PUT', body: { rules } satisfies UpdateSourceOfTruthBody }),
    onSuccess: (sot) => queryClient.setQueryData(connectionKeys.sourceOfTruth(object), sot),
  });
}

export function useConnections() {
  return useQuery({ queryKey: connectionKeys.all, queryFn: ({ signal }) => api.get<ConnectionDto[]>('/connections', undefined, signal) });
}

/** Asks the API for the CRM consent URL (a single-use state bound to this session) and sends the browser there. */
export function useConnectCrm(navigate: (url: string) => void = (url) => window.location.assign(url)) {
  return useMutation({
    mutationFn: (crm: CrmKind) => api.post<AuthorizeConnectionResponse>(`/connections/${crm}/authorize`),
    onSuccess: ({ url }) => navigate(url),
  });
}

export function useDisconnectCrm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (crm: CrmKind) => api.delete(`/connections/${crm}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: connectionKeys.all }),
  });
}

/** Re-reads the CRM's fields (the dialog does this when it opens) and refreshes the card and the mapping. */
export function useDiscoverFields() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (crm: CrmKind) => api.post<ConnectionDto>(`/connections/${crm}/discover`),
    onSuccess: async (connection) => {
      queryClient.setQueryData<ConnectionDto[]>(connectionKeys.all, (list) => list?.map((c) => (c.crm === connection.crm ? connection : c)));
      await queryClient.invalidateQueries({ queryKey: ['connections', connection.crm, 'mapping'] });
      await queryClient.invalidateQueries({ queryKey: ['connections', connection.crm, 'export', 'contact-source-fields'] });
    },
  });
}

export function useMapping(crm: CrmKind, object: MappingObjectDto, enabled: boolean) {
  return useQuery({
    queryKey: connectionKeys.mapping(crm, object),
    queryFn: ({ signal }) => api.get<ConnectionMappingDto>(`/connections/${crm}/mappings/${object}`, undefined, signal),
    enabled,
  });
}

export function useSaveMapping(crm: CrmKind, object: MappingObjectDto) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (rows: MappingRowDto[]) =>
      apiRequest<ConnectionMappingDto>(`/connections/${crm}/mappings/${object}`, { method: 'PUT', body: { rows } satisfies UpdateMappingBody }),
    onSuccess: (mapping) => queryClient.setQueryData(connectionKeys.mapping(crm, object), mapping),
  });
}

export function useResetMapping(crm: CrmKind, object: MappingObjectDto) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<ConnectionMappingDto>(`/connections/${crm}/mappings/${object}/reset`),
    onSuccess: (mapping) => queryClient.setQueryData(connectionKeys.mapping(crm, object), mapping),
  });
}
