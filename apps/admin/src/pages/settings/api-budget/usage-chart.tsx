import '@mantine/charts/styles.css';
import { API_FEATURE_LABELS, API_FEATURES, API_USAGE_WINDOWS, type ApiFeature, type ApiUsageDto, type ApiUsageWindow } from '@conduit/contracts';
import { CompositeChart, type CompositeChartSeries } from '@mantine/charts';
import { Anchor, Badge, Card, Center, Group, Loader, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApiUsage } from '../../../api/api-budget';
import { CrmRecordRef } from '../../../components/crm-record-ref';
import { ErrorState } from '../../../components/error-state';
import { formatDateTime } from '../../../lib/format';
import { formatCount, formatShare } from './budget-format';
import type { SyncRunStatus } from '../../../api/sync';
import { RUN_STATUS_COLORS, RUN_STATUS_LABELS } from '../../sync/sync-format';

const WINDOW_LABELS: Record<ApiUsageWindow, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days' };
const CRM_NAME = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;

const FEATURE_COLORS: Record<ApiFeature, string> = {
  backfill: 'blue.6',
  incremental: 'cyan.5',
  export: 'grape.5',
  lists: 'teal.5',
  activities: 'orange.5',
  workflows: 'pink.5',
  discovery: 'lime.6',
  token_refresh: 'yellow.6',
  other: 'gray.5',
};

function bucketLabel(at: string, window: ApiUsageWindow): string {
  const d = new Date(at);
  return window === '7d' ? d.toLocaleDateString('en', { weekday: 'short', day: 'numeric', month: 'short' }) : d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/** Features with calls in the window (the chart and legend skip the others), in the contract's order. */
function usedFeatures(usage: ApiUsageDto): ApiFeature[] {
  return API_FEATURES.filter((f) => usage.totals.byFeature[f] > 0 || usage.points.some((p) => p.byFeature[f] > 0));
}

/**
 * Conduit's API calls on a connection, stacked by feature, with the daily allocation and the whole account's calls
 * as the CRM reported them (every integration), and the recent runs with the share of the day each took.
 */
export function UsageChart({ connectionId }: { connectionId: string }) {
  const [window, setWindow] = useState<ApiUsageWindow>('24h');
  const usage = useApiUsage(connectionId, window);
  const u = usage.data;
  return (
    <Card withBorder padding="lg" data-testid={`usage-chart-${connectionId}`}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={4}>API calls</Title>
            <Text size="xs" c="dimmed" maw={640}>
              {window === '24h'
                ? "Hour by hour, the calls that counted against the day's budget: Conduit's by feature, its daily allocation, and the whole account's as the CRM reported them."
                : "Day by day: Conduit's calls by feature, its daily allocation, and the whole account's calls as the CRM reported them."}
            </Text>
          </div>
          <SegmentedControl size="xs" value={window} onChange={(v) => setWindow(v)} data={API_USAGE_WINDOWS.map((w) => ({ value: w, label: WINDOW_LABELS[w] }))} />
        </Group>
        {usage.isPending ? (
          <Center h={260}>
            <Loader size="sm" />
          </Center>
        ) : usage.isError || !u ? (
          <ErrorState error={usage.error} title="Could not load the API usage" onRetry={() => void usage.refetch()} />
        ) : (
          <UsageFigures usage={u} window={window} />
        )}
      </Stack>
    </Card>
  );
}

function UsageFigures({ usage, window }: { usage: ApiUsageDto; window: ApiUsageWindow }) {
  const features = usedFeatures(usage);
  const data = usage.points.map((p) => ({
    at: bucketLabel(p.at, window),
    ...Object.fromEntries(features.map((f) => [f, p.byFeature[f]])),
    ...(usage.allocation !== null ? { allocation: usage.allocation } : {}),
    ...(p.crmReported !== null ? { account: p.crmReported } : {}),
  }));
  const series: CompositeChartSeries[] = [
    ...features.map((f): CompositeChartSeries => ({ name: f, label: API_FEATURE_LABELS[f], color: FEATURE_COLORS[f], type: 'bar' })),
    ...(usage.allocation !== null ? [{ name: 'allocation', label: "Conduit's daily allocation", color: 'red.6', type: 'line' as const, strokeDasharray: '6 4' }] : []),
    ...(usage.points.some((p) => p.crmReported !== null) ? [{ name: 'account', label: 'Whole account (CRM-reported)', color: 'dark.4', type: 'line' as const }] : []),
  ];
  const name = CRM_NAME[usage.crm];
  return (
    <Stack gap="md">
      <Group gap="xl" data-testid="usage-totals">
        <Text size="sm">
          <b>{formatCount(usage.totals.conduit)}</b> calls by Conduit in the {window === '24h' ? 'last 24 hours' : 'last 7 days'}
        </Text>
        <Text size="sm">
          {usage.allocation === null ? (
            <>No daily limit known for this {name} account: nothing is held back.</>
          ) : (
            <>
              Daily allocation <b>{formatCount(usage.allocation)}</b> of the account's {formatCount(usage.dailyLimit ?? 0)}
            </>
          )}
        </Text>
      </Group>
      {features.length === 0 && series.length === 0 ? (
        <Center h={200}>
          <Text size="sm" c="dimmed">
            No API calls in this window yet.
          </Text>
        </Center>
      ) : (
        <CompositeChart
          h={280}
          data={data}
          dataKey="at"
          series={series}
          withLegend
          // No fixed legend height: on a phone the legend wraps to four lines and ran over the runs' heading below.
          legendProps={{ verticalAlign: 'bottom' }}
          withDots={false}
          connectNulls={false}
          barProps={{ stackId: 'calls' }}
          valueFormatter={(v) => formatCount(v)}
          yAxisProps={{ width: 70 }}
          data-testid="usage-composite"
        />
      )}
      <RunsTable usage={usage} />
    </Stack>
  );
}

/** Sync and export runs share these statuses; one the admin does not know yet shows as the API names it. */
const isRunStatus = (status: string): status is SyncRunStatus => Object.hasOwn(RUN_STATUS_LABELS, status);
const statusLabel = (status: string) => (isRunStatus(status) ? RUN_STATUS_LABELS[status] : status);
const statusColor = (status: string) => (isRunStatus(status) ? RUN_STATUS_COLORS[status] : 'gray');

function RunsTable({ usage }: { usage: ApiUsageDto }) {
  if (usage.runs.length === 0) return null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        Runs in this window
      </Text>
      {/* On a phone the five columns scroll sideways; the card clipped "API calls" and the share before. */}
      <Table.ScrollContainer minWidth={600} type="native">
        <Table verticalSpacing={4} fz="sm" striped data-testid="usage-runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Run</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>API calls</Table.Th>
              <Table.Th>Share of the account's day</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {usage.runs.map((r) => (
              <Table.Tr key={r.id} data-testid="usage-run">
                <Table.Td>
                  <Stack gap={2}>
                    {r.type === 'sync' ? (
                      <Anchor component={Link} to={`/settings/sync-history/${r.id}`} inherit>
                        {r.label}
                      </Anchor>
                    ) : (
                      r.label
                    )}
                    {/* A person re-read names the person, linked to their page and to the record in the CRM. */}
                    {r.record && <CrmRecordRef record={r.record} testId="usage-run-record" />}
                  </Stack>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.startedAt)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" radius="sm" color={statusColor(r.status)} miw="fit-content">
                    {statusLabel(r.status)}
                  </Badge>
                </Table.Td>
                <Table.Td>{r.calls === null ? 'not counted' : formatCount(r.calls)}</Table.Td>
                <Table.Td>{r.shareOfDay === null ? '—' : formatShare(r.shareOfDay)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
