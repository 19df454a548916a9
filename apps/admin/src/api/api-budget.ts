import type { ApiAllocationDto, ApiBudgetDto, ApiUsageDto, ApiUsageWindow, ForecastDto, ForecastRequestBody, PausedRunDto, UpdateApiAllocationBody } from '@conduit/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';
import { listKeys } from './lists';

export type {
  ApiAllocationDto,
  ApiBudgetDto,
  ApiUsageDto,
  ApiUsageWindow,
  ForecastDto,
  ForecastKind,
  ForecastRequestBody,
  ForecastVsActualDto,
  PausedRunDto,
  RunForecastDto,
  UpdateApiAllocationBody,
} from '@conduit/contracts';

export const apiBudgetKeys = {
  budget: (connectionId: string) => ['api-budget', connectionId] as const,
  allocation: (connectionId: string) => ['api-allocation', connectionId] as const,
};

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

/**
 * The connection's day now (GET /connections/:id/api-budget): allocation, reset rule and next reset, and the runs the
 * budget paused. Polled every 15 s, every 5 s while something is paused (a run resumes by itself at the reset).
 */
export function useApiBudget(connectionId: string) {
  return useQuery({
    queryKey: apiBudgetKeys.budget(connectionId),
    queryFn: ({ signal }) => api.get<ApiBudgetDto>(`/connections/${connectionId}/api-budget`, undefined, signal),
    refetchInterval: (query) => (query.state.data?.pausedRuns.length ? 5_000 : 15_000),
  });
}

export function useApiAllocation(connectionId: string) {
  return useQuery({
    queryKey: apiBudgetKeys.allocation(connectionId),
    queryFn: ({ signal }) => api.get<ApiAllocationDto>(`/connections/${connectionId}/api-allocation`, undefined, signal),
  });
}

export function useSaveApiAllocation(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateApiAllocationBody) => apiRequest<ApiAllocationDto>(`/connections/${connectionId}/api-allocation`, { method: 'PUT', body }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(apiBudgetKeys.allocation(connectionId), saved);
      await Promise.all([queryClient.invalidateQueries({ queryKey: apiBudgetKeys.budget(connectionId) }), queryClient.invalidateQueries({ queryKey: ['api-usage', connectionId] })]);
    },
  });
}

/** Where "Resume now anyway" goes for each kind of paused run (null if the API had no such route). */
export function resumePath(run: Pick<PausedRunDto, 'type' | 'id'>): string | null {
  switch (run.type) {
    case 'sync':
      return `/sync/runs/${run.id}/resume`;
    case 'list':
      return `/crm-lists/${run.id}/resume`;
    case 'export':
      return `/export/runs/${run.id}/resume`;
  }
}

/** "Resume now anyway": the paused run goes on at once, past the allocation until the reset (admins). */
export function useResumePausedRun(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (run: Pick<PausedRunDto, 'type' | 'id'>) => {
      const path = resumePath(run);
      if (!path) throw new Error('This kind of work cannot be resumed early.');
      return api.post<unknown>(path);
    },
    onSuccess: async (_answer, run) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: apiBudgetKeys.budget(connectionId) }),
        queryClient.invalidateQueries({ queryKey: ['sync', 'runs'] }),
        ...(run.type === 'sync' ? [queryClient.invalidateQueries({ queryKey: ['sync', 'runs', run.id] })] : []),
        ...(run.type === 'list' ? [queryClient.invalidateQueries({ queryKey: listKeys.all })] : []),
        ...(run.type === 'export' ? [queryClient.invalidateQueries({ queryKey: ['export', 'runs', run.id] })] : []),
      ]);
    },
  });
}
