import type { ConsentDeliveryPageDto, ConsentDeliveryStatus } from '@conduit/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export interface ConsentDeliveryQuery {
  status?: ConsentDeliveryStatus | null;
  page?: number;
  pageSize?: number;
}

export const consentKeys = {
  all: ['consent'] as const,
  deliveries: (query: ConsentDeliveryQuery) => ['consent', 'deliveries', query] as const,
};

/** Opt-outs and bounces written (or being written) to each CRM, newest change first. */
export function useConsentDeliveries(query: ConsentDeliveryQuery) {
  return useQuery({
    queryKey: consentKeys.deliveries(query),
    queryFn: ({ signal }) => api.get<ConsentDeliveryPageDto>('/consent/deliveries', { ...query }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'pending') ? 2000 : false),
  });
}

/** Sends a failed opt-out or bounce to its CRM again. */
export function useRetryConsentDelivery() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<void>(`/consent/deliveries/${encodeURIComponent(id)}/retry`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: consentKeys.all }),
  });
}
