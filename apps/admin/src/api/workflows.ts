import type {
  ConnectionMappingDto,
  CrmKind,
  DealPipelineDto,
  LatencyWindow,
  MappingObjectDto,
  OpportunityStageDto,
  UpdateWorkflowBody,
  WorkflowConfigDto,
  WorkflowCountsDto,
  WorkflowDto,
  WorkflowKind,
  WorkflowLatencyDto,
  WorkflowOwnersDto,
  WorkflowRunDto,
  WorkflowRunResult,
} from '@conduit/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';
import { connectionKeys } from './connections';

/** `mql_handoff` → `mql-handoff`, as the API's routes spell workflows. */
export const workflowSlug = (kind: WorkflowKind) => kind.replace(/_/g, '-');

export const workflowKeys = {
  all: ['workflows'] as const,
  list: ['workflows', 'list'] as const,
  one: (kind: WorkflowKind) => ['workflows', 'one', kind] as const,
  counts: (kind: WorkflowKind) => ['workflows', 'counts', kind] as const,
  latency: (kind: WorkflowKind, window: LatencyWindow) => ['workflows', 'latency', kind, window] as const,
  runs: (kind: WorkflowKind, result: WorkflowRunResult | null) => ['workflows', 'runs', kind, result] as const,
  opportunityStages: ['workflows', 'opportunity-stages'] as const,
  dealPipelines: ['workflows', 'deal-pipelines'] as const,
  owners: ['workflows', 'owners'] as const,
};

/** Every workflow with its status; polled so a pause (auth failure) shows up without a reload. */
export function useWorkflows() {
  return useQuery({
    queryKey: workflowKeys.list,
    queryFn: ({ signal }) => api.get<WorkflowDto[]>('/workflows', undefined, signal),
    refetchInterval: 15_000,
  });
}

export function useWorkflow(kind: WorkflowKind) {
  return useQuery({
    queryKey: workflowKeys.one(kind),
    queryFn: ({ signal }) => api.get<WorkflowDto>(`/workflows/${workflowSlug(kind)}`, undefined, signal),
  });
}

export function useWorkflowCounts(kind: WorkflowKind) {
  return useQuery({
    queryKey: workflowKeys.counts(kind),
    queryFn: ({ signal }) => api.get<WorkflowCountsDto>(`/workflows/${workflowSlug(kind)}/counts`, undefined, signal),
    refetchInterval: 5_000,
  });
}

export function useWorkflowLatency(kind: WorkflowKind, window: LatencyWindow) {
  return useQuery({
    queryKey: workflowKeys.latency(kind, window),
    queryFn: ({ signal }) => api.get<WorkflowLatencyDto>(`/workflows/${workflowSlug(kind)}/latency`, { window }, signal),
    refetchInterval: 10_000,
  });
}

/** The run log, newest first; polled faster while a run is still pending. */
export function useWorkflowRuns(kind: WorkflowKind, result: WorkflowRunResult | null) {
  return useQuery({
    queryKey: workflowKeys.runs(kind, result),
    queryFn: ({ signal }) => api.get<WorkflowRunDto[]>(`/workflows/${workflowSlug(kind)}/runs`, { result, limit: 200 }, signal),
    refetchInterval: (q) => (q.state.data?.some((r) => r.result === 'pending') ? 2_000 : 5_000),
  });
}

/** One run by id (a run the log links to, e.g. the later run that replaced a skipped one, when it is not among those loaded). */
export function useWorkflowRun(id: string | null) {
  return useQuery({
    queryKey: ['workflows', 'run', id] as const,
    queryFn: ({ signal }) => api.get<WorkflowRunDto>(`/workflows/runs/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: id !== null,
  });
}

function useRefreshWorkflow() {
  const queryClient = useQueryClient();
  return (wf: WorkflowDto) => {
    queryClient.setQueryData(workflowKeys.one(wf.kind), wf);
    queryClient.setQueryData<WorkflowDto[]>(workflowKeys.list, (list) => list?.map((w) => (w.kind === wf.kind ? wf : w)));
    void queryClient.invalidateQueries({ queryKey: workflowKeys.list });
  };
}

export function useSaveWorkflow(kind: WorkflowKind) {
  const refresh = useRefreshWorkflow();
  return useMutation({
    mutationFn: (body: UpdateWorkflowBody<WorkflowConfigDto>) => apiRequest<WorkflowDto>(`/workflows/${workflowSlug(kind)}`, { method: 'PUT', body }),
    onSuccess: refresh,
  });
}

/** Back to the defaults, disabled. */
export function useResetWorkflow(kind: WorkflowKind) {
  const refresh = useRefreshWorkflow();
  return useMutation({
    mutationFn: () => api.delete<WorkflowDto>(`/workflows/${workflowSlug(kind)}`),
    onSuccess: refresh,
  });
}

export function useResumeWorkflow() {
  const refresh = useRefreshWorkflow();
  return useMutation({
    mutationFn: (kind: WorkflowKind) => api.post<WorkflowDto>(`/workflows/${workflowSlug(kind)}/resume`),
    onSuccess: refresh,
  });
}

export function useRetryWorkflowRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<WorkflowRunDto>(`/workflows/runs/${encodeURIComponent(id)}/retry`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: workflowKeys.all }),
  });
}

/**
 * A CRM object's discovered fields for the editors' pickers: the mapping endpoint's `fields` (HubSpot contacts /
 * Salesforce Lead for `contacts`, HubSpot companies / Salesforce Account for `companies`), under the mapping
 * dialog's query key so both share one read.
 */
export function useDiscoveredFields(crm: CrmKind, object: MappingObjectDto) {
  return useQuery({
    queryKey: connectionKeys.mapping(crm, object),
    queryFn: ({ signal }) => api.get<ConnectionMappingDto>(`/connections/${crm}/mappings/${object}`, undefined, signal),
    select: (m) => ({ fields: m.fields, discoveredAt: m.discoveredAt }),
    staleTime: 60_000,
  });
}

/** Salesforce Opportunity stage values (a live describe: field discovery does not cover Opportunity). */
export function useOpportunityStages() {
  return useQuery({
    queryKey: workflowKeys.opportunityStages,
    queryFn: ({ signal }) => api.get<OpportunityStageDto[]>('/workflows/opportunity-stages', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

/** HubSpot deal pipelines and their stages (Opportunity → deal stage table, stage names); read only when `enabled`. */
export function useDealPipelines(enabled = true) {
  return useQuery({
    queryKey: workflowKeys.dealPipelines,
    queryFn: ({ signal }) => api.get<DealPipelineDto[]>('/workflows/deal-pipelines', undefined, signal),
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** Salesforce users and HubSpot owners (Opportunity → deal owner table). */
export function useWorkflowOwners() {
  return useQuery({
    queryKey: workflowKeys.owners,
    queryFn: ({ signal }) => api.get<WorkflowOwnersDto>('/workflows/owners', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

/** Reads Salesforce changes now (the workflows otherwise poll every 30 s); answers the poll job's id. */
export function usePollSalesforce() {
  return useMutation({
    mutationFn: () => api.post<{ jobId: string }>('/workflows/poll'),
  });
}
