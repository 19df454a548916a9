import type { CrmKind, CrmLinkDto, PushResultDto } from '@conduit/contracts';
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
