import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Anchor, Badge, Card, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { isOpen, useSyncRuns } from '../../api/sync';
import { ErrorState } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { formatDateTime } from '../../lib/format';
import { RunProgress } from './run-progress';
import { RUN_KIND_LABELS, RUN_STATUS_COLORS, syncedPerHour } from './sync-format';

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
                  {RUN_KIND_LABELS[r.kind]} running ({r.crm})
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
                h={220}
                data={chart}
                dataKey="hour"
                type="stacked"
                series={[
                  { name: 'created', label: 'Created', color: 'teal.6' },
                  { name: 'updated', label: 'Updated', color: 'blue.6' },
                ]}
              />
            )}
          </Card>
          <Table aria-label="Sync runs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Kind</Table.Th>
                <Table.Th>CRM</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Finished</Table.Th>
                <Table.Th ta="right">Created</Table.Th>
                <Table.Th ta="right">Updated</Table.Th>
                <Table.Th ta="right">Unchanged</Table.Th>
                <Table.Th ta="right">Failed</Table.Th>
                <Table.Th ta="right">Deals / owners / lists</Table.Th>
                <Table.Th ta="right">API calls</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={11}>
                    <Text size="sm" c="dimmed">
                      No sync runs yet.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {data.map((r) => (
                <Table.Tr key={r.id} data-testid="sync-run-row" data-kind={r.kind} data-status={r.status}>
                  <Table.Td>
                    <Anchor component={Link} to={`/settings/sync-history/${r.id}`} size="sm">
                      {r.mappingPreview ? 'Mapping preview' : RUN_KIND_LABELS[r.kind]}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.crm === 'hubspot' ? 'HubSpot' : 'Salesforce'}</Table.Td>
                  <Table.Td>
                    <Badge color={RUN_STATUS_COLORS[r.status]} variant="light" title={r.error ?? undefined}>
                      {r.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{formatDateTime(r.startedAt)}</Table.Td>
                  <Table.Td>{formatDateTime(r.finishedAt)}</Table.Td>
                  <Table.Td ta="right">{r.counts.created}</Table.Td>
                  <Table.Td ta="right">{r.counts.updated}</Table.Td>
                  <Table.Td ta="right">{r.counts.unchanged}</Table.Td>
                  <Table.Td ta="right">{r.counts.failed}</Table.Td>
                  <Table.Td ta="right">{Object.keys(r.related).length ? `${r.related['deal'] ?? '—'} / ${r.related['owner'] ?? '—'} / ${r.related['list'] ?? '—'}` : '—'}</Table.Td>
                  <Table.Td ta="right">{r.apiCalls}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </>
  );
}
