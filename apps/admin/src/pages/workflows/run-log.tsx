import { WORKFLOW_RUN_RESULTS, type WorkflowKind, type WorkflowRunDto, type WorkflowRunResult } from '@conduit/contracts';
import { ActionIcon, Badge, Button, Card, Code, Collapse, Group, Select, Stack, Table, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useState } from 'react';
import { useRetryWorkflowRun, useWorkflowRuns, workflowKeys } from '../../api/workflows';
import { ErrorState, errorMessage } from '../../components/error-state';
import { TableSkeletonRows } from '../../components/table-skeleton';
import { formatDateTime } from '../../lib/format';
import { RESULT_COLORS, RESULT_LABELS, RETRYABLE, formatMs, triggerSummary } from './workflow-form';

const COLUMNS = 7;

function RunRow({ run, canRetry }: { run: WorkflowRunDto; canRetry: boolean }) {
  const [open, setOpen] = useState(false);
  const retry = useRetryWorkflowRun();
  return (
    <Fragment>
      <Table.Tr data-testid="workflow-run" data-result={run.result} data-run-id={run.id}>
        <Table.Td>
          <ActionIcon variant="subtle" color="gray" size="sm" aria-label={open ? 'Hide run details' : 'Show run details'} onClick={() => setOpen((o) => !o)}>
            {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
          </ActionIcon>
        </Table.Td>
        <Table.Td>
          <Text size="sm" c="dimmed">
            {formatDateTime(run.createdAt)}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm" lineClamp={2} maw={320}>
            {triggerSummary(run.trigger)}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm" lineClamp={2} maw={280}>
            {run.decision ?? '—'}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{run.action ?? '—'}</Text>
          {run.targetId && (
            <Text size="xs" c="dimmed" data-testid="run-target">
              {run.targetId}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Stack gap={4}>
            <Badge variant="light" color={RESULT_COLORS[run.result]} radius="sm" style={{ flexShrink: 0 }} miw="fit-content">
              {RESULT_LABELS[run.result]}
            </Badge>
            {run.reason && (
              <Text size="xs" c={run.result === 'failed' || run.result === 'needs_attention' ? 'red' : 'dimmed'} maw={320}>
                {run.reason}
              </Text>
            )}
            {canRetry && RETRYABLE.includes(run.result) && (
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
            )}
          </Stack>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{formatMs(run.latencyMs)}</Text>
          {run.attempts > 1 && (
            <Text size="xs" c="dimmed">
              {run.attempts} attempts
            </Text>
          )}
        </Table.Td>
      </Table.Tr>
      <Table.Tr style={{ display: open ? undefined : 'none' }}>
        <Table.Td colSpan={COLUMNS} p={0}>
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
    </Fragment>
  );
}

/** A workflow's run log, newest first, filterable by result; admins retry failed runs. */
export function RunLog({ kind, canRetry }: { kind: WorkflowKind; canRetry: boolean }) {
  const [result, setResult] = useState<WorkflowRunResult | null>(null);
  const runs = useWorkflowRuns(kind, result);
  const list = runs.data ?? [];
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
        <Text size="xs" c="dimmed">
          Newest first · refreshes every few seconds
        </Text>
      </Group>
      {runs.isError ? (
        <ErrorState error={runs.error} title="Could not load the run log" onRetry={() => void runs.refetch()} />
      ) : (
        <Card padding={0} withBorder>
          <Table.ScrollContainer minWidth={1100}>
            <Table aria-label="Run log" verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={36} />
                  <Table.Th>When</Table.Th>
                  <Table.Th>Trigger</Table.Th>
                  <Table.Th>Filter decision</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th w={200}>Result</Table.Th>
                  <Table.Th w={100}>Latency</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {runs.isPending ? (
                  <TableSkeletonRows columns={COLUMNS} rows={4} />
                ) : list.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={COLUMNS}>
                      <Text size="sm" c="dimmed" ta="center" py="lg" data-testid="run-log-empty">
                        {result ? `No ${RESULT_LABELS[result].toLowerCase()} runs.` : 'No runs yet. Runs appear here when a change in the CRM triggers this workflow.'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  list.map((run) => <RunRow key={run.id} run={run} canRetry={canRetry} />)
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </Stack>
  );
}
