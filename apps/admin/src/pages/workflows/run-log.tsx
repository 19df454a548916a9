import { WORKFLOW_RUN_RESULTS, type WorkflowKind, type WorkflowRunDto, type WorkflowRunResult } from '@conduit/contracts';
import { ActionIcon, Anchor, Badge, Button, Card, Code, Collapse, Group, Select, Stack, Table, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { notifications } from '@mantine/notifications';
import { usePollSalesforce, useRetryWorkflowRun, useWorkflowRun, useWorkflowRuns, workflowKeys } from '../../api/workflows';
import { errorMessage } from '../../components/error-state';
import { CrmRecordRef } from '../../components/crm-record-ref';
import { DataTable, DataTableCells, dateColumn, type DataTableColumn } from '../../components/data-table';
import { formatResumeTime } from '../settings/api-budget/budget-format';
import { RESULT_COLORS, RESULT_LABELS, SALESFORCE_TRIGGERED, formatMs, runAction, triggerSummary } from './workflow-form';

function RetryRun({ run }: { run: WorkflowRunDto }) {
  const retry = useRetryWorkflowRun();
  return (
    <Group gap="xs">
      <Button size="compact-xs" variant="light" loading={retry.isPending} onClick={() => retry.mutate(run.id)}>
        Retry
      </Button>
      {retry.isError && (
        <Text size="xs" c="red">
          {errorMessage(retry.error)}
        </Text>
      )}
    </Group>
  );
}

interface RunRowState {
  open: boolean;
  toggle: () => void;
}

/** Why a run was skipped when a later run replaced it, with a way to that run; no Retry (the later run did the work). */
function SupersededReason({ run, onShowRun }: { run: WorkflowRunDto; onShowRun: (runId: string) => void }) {
  const later = run.supersededBy?.runId ?? null;
  return (
    <Text size="xs" c="dimmed" maw={320} data-testid="run-reason">
      {run.reason}.{' '}
      {later && (
        <Anchor component="button" type="button" size="xs" onClick={() => onShowRun(later)} data-testid="run-superseded-by">
          Show the later run
        </Anchor>
      )}
    </Text>
  );
}

function runColumns(canRetry: boolean, state: (run: WorkflowRunDto) => RunRowState, onShowRun: (runId: string) => void): DataTableColumn<WorkflowRunDto>[] {
  return [
    {
      key: 'toggle',
      width: 36,
      srHeader: 'Details',
      cell: (run) => {
        const { open, toggle } = state(run);
        return (
          <ActionIcon variant="subtle" color="gray" size="sm" aria-label={open ? 'Hide run details' : 'Show run details'} onClick={toggle}>
            {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
          </ActionIcon>
        );
      },
    },
    dateColumn('when', 'When', (run) => run.createdAt, { time: true }),
    {
      key: 'trigger',
      header: 'Trigger',
      cell: (run) => (
        <Stack gap={2} maw={320}>
          <CrmRecordRef record={run.record} testId="run-record" />
          <Text size="xs" c="dimmed" lineClamp={2} title={triggerSummary(run.trigger)}>
            {triggerSummary(run.trigger)}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'decision',
      header: 'Filter decision',
      cell: (run) => {
        // A superseded run never read the record (its decision is the code 'superseded'): said in words.
        const decision = run.supersededBy ? 'Not evaluated: replaced by a later run' : run.decision;
        return (
          <Text size="sm" lineClamp={2} maw={280} title={decision ?? undefined}>
            {decision ?? '—'}
          </Text>
        );
      },
    },
    {
      key: 'action',
      header: 'What it did',
      cell: (run) => (
        <>
          <Text size="sm" maw={360} data-testid="run-action">
            {runAction(run) ?? '—'}
          </Text>
          {run.targets.length > 0 && (
            <Stack gap={4} mt={4}>
              {run.targets.map((target) => (
                <CrmRecordRef key={target.crmId} record={target} testId="run-target" />
              ))}
            </Stack>
          )}
        </>
      ),
    },
    {
      key: 'result',
      header: 'Result',
      width: 200,
      cell: (run) => (
        <Stack gap={4}>
          <Badge variant="light" color={RESULT_COLORS[run.result]} radius="sm" style={{ flexShrink: 0 }} miw="fit-content">
            {RESULT_LABELS[run.result]}
          </Badge>
          {run.supersededBy ? (
            <SupersededReason run={run} onShowRun={onShowRun} />
          ) : (
            run.reason && (
              <Text size="xs" c={run.result === 'failed' || run.result === 'needs_attention' ? 'red' : 'dimmed'} maw={320} data-testid="run-reason">
                {run.waitUntil ? `${run.reason} — next try at ${formatResumeTime(run.waitUntil)}` : run.reason}
              </Text>
            )
          )}
          {canRetry && run.retryable && <RetryRun run={run} />}
        </Stack>
      ),
    },
    {
      key: 'latency',
      header: 'Latency',
      width: 100,
      cell: (run) => (
        <>
          <Text size="sm">{formatMs(run.latencyMs)}</Text>
          {run.attempts > 1 && (
            <Text size="xs" c="dimmed">
              {run.attempts} attempts
            </Text>
          )}
        </>
      ),
    },
  ];
}

/** The trigger and the payload written, under the run's row. */
function RunDetails({ run, open, columns }: { run: WorkflowRunDto; open: boolean; columns: number }) {
  return (
    <Table.Tr style={{ display: open ? undefined : 'none' }}>
      <Table.Td colSpan={columns} p={0}>
        <Collapse expanded={open}>
          <Stack gap="xs" p="sm">
            <Text size="xs" fw={600}>
              Trigger
            </Text>
            <Code block>{JSON.stringify(run.trigger, null, 2)}</Code>
            <Text size="xs" fw={600}>
              Transformed payload (values written to the CRM)
            </Text>
            <Code block data-testid="run-payload">
              {run.payload ? JSON.stringify(run.payload, null, 2) : 'Nothing was written.'}
            </Code>
          </Stack>
        </Collapse>
      </Table.Td>
    </Table.Tr>
  );
}

/** Reads Salesforce changes now instead of at the next 30-second poll (admins). */
function CheckSalesforceNow() {
  const poll = usePollSalesforce();
  return (
    <Stack gap={2} align="flex-end">
      <Button
        size="xs"
        variant="default"
        loading={poll.isPending}
        onClick={() => poll.mutate(undefined, { onSuccess: () => notifications.show({ color: 'teal', message: 'Reading Salesforce changes now: new runs appear below in a few seconds' }) })}
      >
        Check Salesforce now
      </Button>
      {poll.isError && (
        <Text size="xs" c="red">
          {errorMessage(poll.error)}
        </Text>
      )}
    </Stack>
  );
}

/** A workflow's run log, newest first, filterable by result; admins retry failed runs. */
export function RunLog({ kind, canRetry }: { kind: WorkflowKind; canRetry: boolean }) {
  const [result, setResult] = useState<WorkflowRunResult | null>(null);
  const runs = useWorkflowRuns(kind, result);
  const [openRuns, setOpenRuns] = useState<ReadonlySet<string>>(new Set());
  // A run the admin asked to see (the later run that replaced a skipped one): shown, opened and scrolled to.
  const [shown, setShown] = useState<string | null>(null);
  const showRun = (runId: string) => {
    setResult(null);
    setOpenRuns((current) => new Set(current).add(runId));
    setShown(runId);
  };
  const columns = runColumns(
    canRetry,
    (run) => ({
      open: openRuns.has(run.id),
      toggle: () =>
        setOpenRuns((current) => {
          const next = new Set(current);
          if (!next.delete(run.id)) next.add(run.id);
          return next;
        }),
    }),
    showRun,
  );
  const loaded = runs.data;
  const inLog = shown !== null && loaded?.some((r) => r.id === shown) === true;
  // Not among the runs loaded (older than the newest 200): read by id and shown first.
  const extra = useWorkflowRun(shown !== null && loaded !== undefined && !inLog ? shown : null);
  const list = useMemo(() => (extra.data && !loaded?.some((r) => r.id === extra.data.id) ? [extra.data, ...(loaded ?? [])] : (loaded ?? [])), [extra.data, loaded]);
  const shownRendered = shown !== null && list.some((r) => r.id === shown);
  useEffect(() => {
    if (!shownRendered || shown === null) return;
    document.querySelector(`[data-run-id="${CSS.escape(shown)}"]`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [shown, shownRendered]);
  // When runs appear or finish, the counts and the latency chart change too.
  const queryClient = useQueryClient();
  const signature = list.map((r) => `${r.id}:${r.result}`).join(',');
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: workflowKeys.counts(kind) });
    void queryClient.invalidateQueries({ queryKey: ['workflows', 'latency', kind] });
  }, [queryClient, kind, signature]);
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Select
          label="Result"
          aria-label="Filter by result"
          placeholder="All results"
          clearable
          data={WORKFLOW_RUN_RESULTS.map((r) => ({ value: r, label: RESULT_LABELS[r] }))}
          value={result}
          onChange={(v) => setResult(v)}
          w={220}
        />
        <Group gap="md" align="flex-end">
          <Text size="xs" c="dimmed">
            Newest first · refreshes every few seconds
          </Text>
          {canRetry && SALESFORCE_TRIGGERED.includes(kind) && <CheckSalesforceNow />}
        </Group>
      </Group>
      <Card padding={0} withBorder>
        <DataTable
          label="Run log"
          columns={columns}
          rows={runs.isPending ? undefined : list}
          rowKey={(run) => run.id}
          renderRow={(run, index) => (
            <>
              <Table.Tr
                data-testid="workflow-run"
                data-result={run.result}
                data-run-id={run.id}
                data-shown={run.id === shown || undefined}
                bg={run.id === shown ? 'var(--mantine-color-yellow-light)' : undefined}
              >
                <DataTableCells columns={columns} row={run} index={index} />
              </Table.Tr>
              <RunDetails run={run} open={openRuns.has(run.id)} columns={columns.length} />
            </>
          )}
          error={runs.error}
          errorTitle="Could not load the run log"
          onRetry={() => void runs.refetch()}
          empty={{
            title: result ? `No ${RESULT_LABELS[result].toLowerCase()} runs.` : 'No runs yet.',
            description: result ? undefined : 'Runs appear here when a change in the CRM triggers this workflow.',
            testId: 'run-log-empty',
          }}
          minWidth={1100}
          highlightOnHover
          skeletonRows={4}
        />
      </Card>
    </Stack>
  );
}
