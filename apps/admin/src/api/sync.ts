import type { MappingObjectDto, MappingRowDto, PersonSyncDto, ProvenanceDto, SyncNowDto, SyncRunDetailDto, SyncRunDto, SyncSettingsDto, UpdateSourceOfTruthBody } from '@conduit/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';

// The shapes of /sync and /…/provenance are declared once in @conduit/contracts (the API answers them).
export type {
  ProvenanceDto,
  ProvenanceEntryDto,
  SampleDiffDto,
  SyncObject,
  SyncRunDetailDto,
  SyncRunDto,
  SyncRunKind,
  SyncRunStatus,
  SyncSettingsDto,
} from '@conduit/contracts';

export const syncKeys = {
  runs: ['sync', 'runs'] as const,
  run: (id: string) => ['sync', 'runs', id] as const,
  settings: (connectionId: string) => ['sync', 'settings', connectionId] as const,
  provenance: (personId: string) => ['sync', 'provenance', 'person', personId] as const,
  entityProvenance: (entity: 'person' | 'company', id: string) => ['sync', 'provenance', entity, id] as const,
};

export const isOpen = (run: Pick<SyncRunDto, 'status'>) => run.status === 'pending' || run.status === 'running';

/** Run history, newest first; polled while a run is open so new runs and their counts show up. */
export function useSyncRuns() {
  return useQuery({
    queryKey: syncKeys.runs,
    queryFn: ({ signal }) => api.get<SyncRunDto[]>('/sync/runs', { limit: 200 }, signal),
    refetchInterval: (query) => (query.state.data?.some(isOpen) ? 2_000 : 10_000),
  });
}

/** One run; polled every 2 s until it finishes (the live progress bar and the dry-run preview). */
export function useSyncRun(id: string | null) {
  return useQuery({
    queryKey: syncKeys.run(id ?? ''),
    queryFn: ({ signal }) => api.get<SyncRunDetailDto>(`/sync/runs/${id ?? ''}`, undefined, signal),
    enabled: id !== null,
    // A paused run resumes by itself at the reset (or when an admin resumes it): looked at every 10 s meanwhile.
    refetchInterval: (query) => (!query.state.data || isOpen(query.state.data) ? 2_000 : query.state.data.status === 'paused' ? 10_000 : false),
  });
}

export function useSyncSettings(connectionId: string | null) {
  return useQuery({
    queryKey: syncKeys.settings(connectionId ?? ''),
    queryFn: ({ signal }) => api.get<SyncSettingsDto>(`/sync/connections/${connectionId ?? ''}/settings`, undefined, signal),
    enabled: connectionId !== null,
  });
}

export function useSaveSyncSettings(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SyncSettingsDto) => apiRequest<SyncSettingsDto>(`/sync/connections/${connectionId}/settings`, { method: 'PUT', body }),
    onSuccess: (settings) => queryClient.setQueryData(syncKeys.settings(connectionId), settings),
  });
}

export function useStartBackfill(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ dryRun, forecastId }: { dryRun: boolean; forecastId?: string }) => api.post<SyncRunDto>(`/sync/connections/${connectionId}/backfill`, { dryRun, ...(forecastId ? { forecastId } : {}) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: syncKeys.runs }),
  });
}

/** "Sync now": an incremental run at once, or the import run already open (`started: false`). */
export function useSyncNow(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<SyncNowDto>(`/sync/connections/${connectionId}/sync-now`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: syncKeys.runs }),
  });
}

/** "Sync now" on a person: re-reads its CRM records now; the person, its provenance and CRM links refresh after. */
export function usePersonSyncNow(personId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<PersonSyncDto>(`/people/${encodeURIComponent(personId)}/sync-now`),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['people', 'detail', personId] }),
        queryClient.invalidateQueries({ queryKey: syncKeys.entityProvenance('person', personId) }),
        queryClient.invalidateQueries({ queryKey: syncKeys.runs }),
      ]);
    },
  });
}

export function usePersonProvenance(personId: string) {
  return useEntityProvenance('person', personId);
}

/** GET /people/:id/provenance or /companies/:id/provenance. */
export function useEntityProvenance(entity: 'person' | 'company', id: string) {
  return useQuery({
    queryKey: syncKeys.entityProvenance(entity, id),
    queryFn: ({ signal }) => api.get<ProvenanceDto>(`/${entity === 'person' ? 'people' : 'companies'}/${id}/provenance`, undefined, signal),
  });
}

/** Re-applies the current mapping to the records already imported (a remap run). */
export function useStartRemap(connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (forecastId?: string) => api.post<SyncRunDto>(`/sync/connections/${connectionId}/remap`, forecastId ? { forecastId } : {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: syncKeys.runs }),
  });
}

/**
 * Dry run of proposed mapping rows (and source-of-truth choices): a run whose counts and sample say what saving them
 * would change.
 */
export function useMappingPreview(connectionId: string | null, object: MappingObjectDto) {
  return useMutation({
    mutationFn: ({ rows, sourceOfTruth }: { rows: MappingRowDto[]; sourceOfTruth?: UpdateSourceOfTruthBody['rules'] }) =>
      api.post<SyncRunDto>(`/sync/connections/${connectionId ?? ''}/mapping-preview`, { object, rows, ...(sourceOfTruth?.length ? { sourceOfTruth } : {}) }),
  });
}
