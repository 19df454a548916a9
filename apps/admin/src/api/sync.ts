import type { CrmKind, MappingObjectDto, MappingRowDto } from '@conduit/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';

// Shapes of apps/api/src/sync (not in @conduit/contracts yet).
export type SyncObject = 'company' | 'contact' | 'lead' | 'deal' | 'owner' | 'list';
export type SyncRunKind = 'backfill' | 'incremental' | 'webhook' | 'remap' | 'dry_run' | 'list';
export type SyncRunStatus = 'pending' | 'running' | 'done' | 'failed';

export interface SyncSettingsDto {
  importEnabled: boolean;
  objects: SyncObject[];
  intervalMinutes: number;
}

export interface SampleDiffDto {
  entity: 'person' | 'company';
  crmId: string;
  action: 'create' | 'update';
  field: string;
  from: unknown;
  to: unknown;
  rule: string;
}

export interface SyncRunDto {
  id: string;
  connectionId: string;
  crm: CrmKind;
  kind: SyncRunKind;
  status: SyncRunStatus;
  objects: SyncObject[];
  startedAt: string | null;
  finishedAt: string | null;
  counts: { created: number; updated: number; unchanged: number; failed: number; archived: number };
  apiCalls: number;
  /** Related objects a full backfill read: deal, owner, list → rows. */
  related: Partial<Record<string, number>>;
  progress: { done: number; total: number | null; recordsPerSecond: number | null; etaSeconds: number | null };
  /** A dry run of proposed mapping rows (not of a backfill). */
  mappingPreview: boolean;
  sample: SampleDiffDto[] | null;
  error: string | null;
  createdAt: string;
}

export interface SyncRunDetailDto extends SyncRunDto {
  failures: { crmId: string; reason: string; at: string }[];
}

export interface ProvenanceEntryDto {
  field: string;
  source: 'crm' | 'conduit';
  connectionId: string | null;
  crmRecordId: string | null;
  crmField: string | null;
  rule: string;
  previousValue: unknown;
  value: unknown;
  at: string;
}

export interface ProvenanceDto {
  current: ProvenanceEntryDto[];
  history: ProvenanceEntryDto[];
}

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
    refetchInterval: (query) => (query.state.data && !isOpen(query.state.data) ? false : 2_000),
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
    mutationFn: (dryRun: boolean) => api.post<SyncRunDto>(`/sync/connections/${connectionId}/backfill`, { dryRun }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: syncKeys.runs }),
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
    mutationFn: () => api.post<SyncRunDto>(`/sync/connections/${connectionId}/remap`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: syncKeys.runs }),
  });
}

/** Dry run of proposed mapping rows: a run whose counts and sample say what saving them would change. */
export function useMappingPreview(connectionId: string | null, object: MappingObjectDto) {
  return useMutation({
    mutationFn: (rows: MappingRowDto[]) => api.post<SyncRunDto>(`/sync/connections/${connectionId ?? ''}/mapping-preview`, { object, rows }),
  });
}
