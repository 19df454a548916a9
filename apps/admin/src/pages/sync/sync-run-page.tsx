import { Alert, Anchor, Badge, Breadcrumbs, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { isOpen, useSyncRun, type SyncRunDetailDto } from '../../api/sync';
import { CrmRecordRef } from '../../components/crm-record-ref';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { ErrorState } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { formatDateTime } from '../../lib/format';
import { ForecastVsActual } from '../settings/api-budget/forecast-vs-actual';
import { PausedRunNotice } from '../settings/api-budget/paused-work';
import { DryRunResult } from './dry-run-result';
import { RunProgress } from './run-progress';
import { RunSlowdown } from './run-slowdown';
import { objectLabel, RUN_KIND_LABELS, RUN_STATUS_COLORS, RUN_STATUS_LABELS, runTitle } from './sync-format';

const CRM_NAME = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;

const FAILURE_COLUMNS: DataTableColumn<SyncRunDetailDto['failures'][number]>[] = [
  { key: 'record', header: 'Record', width: 260, cell: (f) => <CrmRecordRef record={f.record} testId="run-failure-record" /> },
  { key: 'reason', header: 'Reason', cell: (f) => f.reason },
  { key: 'at', header: 'When', cellStyle: { whiteSpace: 'nowrap' }, cell: (f) => formatDateTime(f.at) },
];

/**
 * How many failures the run recorded: records it could not import (`counts.failed`) and records imported with a field
 * refused (listed too, not counted as failed) — the list holds the first 200 of either.
 */
const failureCount = (r: SyncRunDetailDto) => Math.max(r.counts.failed, r.failures.length);

/** One sync run: counts, related objects, live progress while open, a dry run's diffs, and every record that failed with the CRM's reason. */
export function SyncRunPage() {
  const { id = '' } = useParams();
  const run = useSyncRun(id);
  const r = run.data;
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/settings/sync-history">
          Sync history
        </Anchor>
        <Text size="sm">Run</Text>
      </Breadcrumbs>
      {run.isError ? (
        <ErrorState error={run.error} title="Could not load the sync run" onRetry={() => void run.refetch()} />
      ) : !r ? (
        <Loader />
      ) : (
        <Stack gap="lg">
          <PageHeader
            title={`${runTitle(r)} · ${CRM_NAME[r.crm]}`}
            description={`${r.objects.map((o) => objectLabel(r.crm, o)).join(', ')} · started ${formatDateTime(r.startedAt)} · finished ${formatDateTime(r.finishedAt)}`}
            actions={
              <Badge color={RUN_STATUS_COLORS[r.status]} variant="light" size="lg" data-testid="run-status">
                {RUN_STATUS_LABELS[r.status]}
              </Badge>
            }
          />
          {r.person && (
            <Text size="sm" data-testid="run-person">
              Re-read of{' '}
              <Anchor component={Link} to={`/prospects/${r.person.id}`} inherit>
                {r.person.name ?? 'a person since deleted'}
              </Anchor>{' '}
              from {CRM_NAME[r.crm]}, started with “Sync now” on the person’s page.
            </Text>
          )}
          {r.error && (
            <Alert color="red" title="The run failed">
              {r.error}
            </Alert>
          )}
          {r.status === 'paused' && <PausedRunNotice connectionId={r.connectionId} run={{ type: 'sync', id: r.id, kind: r.kind, label: RUN_KIND_LABELS[r.kind], pausedReason: r.pausedReason, pausedAt: r.pausedAt, resumesAt: r.resumesAt }} />}
          {(isOpen(r) || r.kind !== 'dry_run') && <RunProgress runId={r.id} />}
          {r.kind === 'dry_run' ? (
            !isOpen(r) && <DryRunResult run={r} />
          ) : (
            <SimpleGrid cols={{ base: 3, md: 6 }} data-testid="run-counts">
              {(['created', 'updated', 'unchanged', 'failed', 'archived'] as const).map((k) => (
                <Card key={k} withBorder padding="sm">
                  <Text size="xs" c="dimmed" tt="capitalize">
                    {k}
                  </Text>
                  <Text fw={700} size="xl" data-testid={`run-${k}`}>
                    {r.counts[k].toLocaleString('en')}
                  </Text>
                </Card>
              ))}
              <Card withBorder padding="sm">
                <Text size="xs" c="dimmed">
                  API calls
                </Text>
                <Text fw={700} size="xl">
                  {r.apiCalls.toLocaleString('en')}
                </Text>
              </Card>
            </SimpleGrid>
          )}
          {r.kind !== 'dry_run' && r.status !== 'pending' && <RunSlowdown slowdown={r.slowdown} crm={r.crm} />}
          {r.forecast && <ForecastVsActual data={r.forecast} open={isOpen(r)} />}
          {Object.keys(r.related).length > 0 && (
            <Group gap="lg" data-testid="run-related">
              {Object.entries(r.related).map(([object, n]) => (
                <Text key={object} size="sm">
                  {objectLabel(r.crm, object as Parameters<typeof objectLabel>[1])}: <b>{(n ?? 0).toLocaleString('en')}</b>
                </Text>
              ))}
            </Group>
          )}
          <Card withBorder padding="md">
            <Title order={5} mb="sm">
              Failures ({failureCount(r).toLocaleString('en')})
            </Title>
            <DataTable
              label="Failures"
              columns={FAILURE_COLUMNS}
              rows={r.failures}
              rowKey={(f, index) => `${f.crmId}-${index}`}
              rowProps={() => ({ 'data-testid': 'run-failure' })}
              empty={
                <Text size="sm" c="dimmed">
                  No record failed.
                </Text>
              }
              minWidth={600}
              verticalSpacing="xs"
              fz="sm"
              striped
            />
            {r.failures.length < failureCount(r) && (
              <Text size="xs" c="dimmed" mt="xs">
                Showing the first {r.failures.length} failures.
              </Text>
            )}
          </Card>
        </Stack>
      )}
    </>
  );
}
