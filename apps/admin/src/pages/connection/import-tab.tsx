import type { CrmKind } from '@conduit/contracts';
import { Anchor, Card, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useSyncRuns } from '../../api/sync';
import { DataTable } from '../../components/data-table';
import { RUN_COLUMNS } from '../sync/sync-history-page';
import { ConnectionSync } from '../sync/sync-settings-page';

const RECENT_RUNS = 10;

/** Import: the connection's sync settings, backfill and re-apply (the Sync page's card), and its latest runs. */
export function ImportTab({ crm, connectionId }: { crm: CrmKind; connectionId: string }) {
  const runs = useSyncRuns();
  const own = runs.data?.filter((r) => r.connectionId === connectionId).slice(0, RECENT_RUNS);
  return (
    <Stack gap="lg">
      <ConnectionSync crm={crm} connectionId={connectionId} />
      <Card withBorder padding={0}>
        <Group justify="space-between" p="md" pb="xs">
          <Text fw={600}>Latest runs</Text>
          <Anchor component={Link} to="/settings/sync-history" size="sm">
            All sync history
          </Anchor>
        </Group>
        <DataTable
          label="Latest runs"
          columns={RUN_COLUMNS.filter((c) => c.key !== 'crm')}
          rows={own}
          rowKey={(r) => r.id}
          error={runs.error}
          onRetry={() => void runs.refetch()}
          empty={{ title: 'No sync runs yet', description: 'Runs appear here once the first import starts.' }}
          minWidth={900}
          verticalSpacing="xs"
        />
      </Card>
    </Stack>
  );
}
