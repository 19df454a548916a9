import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Anchor, Badge, Card, ColorSwatch, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { isOpen, useSyncRuns, type SyncRunDto } from '../../api/sync';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { ErrorState } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { formatDateTime } from '../../lib/format';
import { RunProgress } from './run-progress';
import { RUN_STATUS_COLORS, RUN_STATUS_LABELS, runTitle, syncedPerHour } from './sync-format';

const CHART_SERIES = [
  { name: 'created', label: 'Created', color: 'teal.6' },
  { name: 'updated', label: 'Updated', color: 'blue.6' },
];

interface TooltipEntry {
  dataKey?: unknown;
  value?: unknown;
}

/** The hour under the pointer: records created and updated by the runs that finished in it. */
function HourTooltip({ label, payload }: { label?: string | number; payload?: readonly TooltipEntry[] }) {
  if (!payload?.length) return null;
  const value = (key: string) => Number(payload.find((p) => p.dataKey === key)?.value ?? 0);
  return (
    <Paper withBorder shadow="md" px="sm" py="xs" data-testid="sync-chart-tooltip">
      <Text size="xs" fw={600} mb={4}>
        Runs finished {label ?? ''}
      </Text>
      {CHART_SERIES.map((s) => (
        <Group key={s.name} gap="xs" justify="space-between" wrap="nowrap">
          <Group gap={6} wrap="nowrap">
            <ColorSwatch color={`var(--mantine-color-${s.color.replace('.', '-')})`} size={10} withShadow={false} />
            <Text size="xs">{s.label}</Text>
          </Group>
          <Text size="xs" fw={600}>
            {value(s.name).toLocaleString('en')}
          </Text>
        </Group>
      ))}
    </Paper>
  );
}

const count = (pick: (r: SyncRunDto) => ReactNode, key: string, header: string): DataTableColumn<SyncRunDto> => ({ key, header, align: 'right', cell: pick });

export const RUN_COLUMNS: DataTableColumn<SyncRunDto>[] = [
  {
    key: 'kind',
    header: 'Kind',
    cell: (r) => (
      <Anchor component={Link} to={`/settings/sync-history/${r.id}`} size="sm" data-testid="sync-run-title">
        {runTitle(r)}
      </Anchor>
    ),
  },
  { key: 'crm', header: 'CRM', cell: (r) => (r.crm === 'hubspot' ? 'HubSpot' : 'Salesforce') },
  {
    key: 'status',
    header: 'Status',
    cell: (r) => (
      <Badge color={RUN_STATUS_COLORS[r.status]} variant="light" title={r.error ?? r.pausedReason ?? undefined}>
        {RUN_STATUS_LABELS[r.status]}
      </Badge>
    ),
  },
  { key: 'started', header: 'Started', cell: (r) => formatDateTime(r.startedAt) },
  { key: 'finished', header: 'Finished', cell: (r) => formatDateTime(r.finishedAt) },
  count((r) => r.counts.created, 'created', 'Created'),
  count((r) => r.counts.updated, 'updated', 'Updated'),
  count((r) => r.counts.unchanged, 'unchanged', 'Unchanged'),
  count((r) => r.counts.failed, 'failed', 'Failed'),
  count((r) => (Object.keys(r.related).length ? `${r.related['deal'] ?? '—'} / ${r.related['owner'] ?? '—'} / ${r.related['list'] ?? '—'}` : '—'), 'related', 'Deals / owners / lists'),
  count((r) => r.apiCalls, 'apiCalls', 'API calls'),
];

export function SyncHistoryPage() {
  const runs = useSyncRuns();
  const data = runs.data ?? [];
  const running = data.filter((r) => isOpen(r) && r.kind !== 'dry_run');
  const chart = syncedPerHour(data);

  return (
    <>
      <PageHeader
        title="Sync history"
        description="Every import run with its counts and the API calls it spent."
        actions={
          <Anchor component={Link} to="/settings/sync">
            Sync settings
          </Anchor>
        }
      />
      {runs.isError ? (
        <ErrorState error={runs.error} title="Could not load sync runs" onRetry={() => void runs.refetch()} />
      ) : runs.isPending ? (
        <Loader />
      ) : (
        <Stack gap="lg">
          {running.map((r) => (
            <Card key={r.id} withBorder padding="md">
              <Text size="sm" fw={500} mb={4}>
                <Anchor component={Link} to={`/settings/sync-history/${r.id}`} inherit>
                  {runTitle(r)} running ({r.crm === 'hubspot' ? 'HubSpot' : 'Salesforce'})
                </Anchor>
              </Text>
              <RunProgress runId={r.id} />
            </Card>
          ))}
          <Card withBorder padding="md">
            <Title order={5} mb="sm">
              Records synced over time
            </Title>
            {chart.length === 0 ? (
              <Text size="sm" c="dimmed">
                No finished runs yet.
              </Text>
            ) : (
              <BarChart
                h={240}
                data={chart}
                dataKey="hour"
                type="stacked"
                series={CHART_SERIES}
                withLegend
                legendProps={{ verticalAlign: 'bottom' }}
                valueFormatter={(v) => v.toLocaleString('en')}
                tooltipProps={{ content: ({ label, payload }) => <HourTooltip label={label} payload={payload} /> }}
                tooltipAnimationDuration={150}
              />
            )}
          </Card>
          <Card withBorder padding={0}>
            <DataTable
              label="Sync runs"
              columns={RUN_COLUMNS}
              rows={data}
              rowKey={(r) => r.id}
              rowProps={(r) => ({ 'data-testid': 'sync-run-row', 'data-kind': r.kind, 'data-status': r.status })}
              empty={{ title: 'No sync runs yet', description: 'Runs appear here once a CRM is connected and its first import starts.' }}
              minWidth={960}
              verticalSpacing="xs"
              striped
            />
          </Card>
        </Stack>
      )}
    </>
  );
}
