import type { ApiUsageDto, ApiUsageWindow, ForecastDto, ForecastRequestBody } from '@conduit/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from './client';

export type { ApiUsageDto, ApiUsageWindow, ForecastDto, ForecastKind, ForecastRequestBody, ForecastVsActualDto, RunForecastDto } from '@conduit/contracts';

/**
 * What a backfill, remap, bulk export or list sync will cost (POST /connections/:id/forecast). A mutation, not a
 * query: each forecast is stored so the run started with its id keeps it, and counting costs the CRM a call.
 */
export function useForecast() {
  return useMutation({
    mutationFn: ({ connectionId, body }: { connectionId: string; body: ForecastRequestBody }) => api.post<ForecastDto>(`/connections/${connectionId}/forecast`, body),
  });
}

/** Conduit's API calls on a connection by feature (GET /connections/:id/api-usage), refreshed every minute. */
export function useApiUsage(connectionId: string, window: ApiUsageWindow) {
  return useQuery({
    queryKey: ['api-usage', connectionId, window] as const,
    queryFn: ({ signal }) => api.get<ApiUsageDto>(`/connections/${connectionId}/api-usage`, { window }, signal),
    refetchInterval: 60_000,
  });
}
