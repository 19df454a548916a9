import { Anchor, Loader, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useConnections } from '../../../api/connections';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { ApiAllocationForm } from './allocation-form';
import { PausedWorkBanner } from './paused-work';
import { UsageChart } from './usage-chart';

const CRM_NAME = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;

/**
 * Settings → API budget, per connected CRM: what the budget paused, the allocation an admin sets, and the API calls
 * Conduit made by feature against it.
 */
export function ApiBudgetPage() {
  const connections = useConnections();
  const connected = (connections.data ?? []).filter((c) => c.state !== 'not_connected' && c.id);
  return (
    <>
      <PageHeader title="API budget" description="How many of your CRM's daily API calls Conduit may use, what it uses them for, and what waits for the next day." />
      {connections.isError ? (
        <ErrorState error={connections.error} title="Could not load connections" onRetry={() => void connections.refetch()} />
      ) : connections.isPending ? (
        <Loader />
      ) : connected.length === 0 ? (
        <Text c="dimmed">
          No CRM connected. <Anchor component={Link} to="/settings/integrations">Connect one</Anchor> to see its API usage.
        </Text>
      ) : (
        <Stack gap="xl">
          {connected.map((c) => (
            <Stack key={c.crm} gap="sm" data-testid={`api-budget-${c.crm}`}>
              <Title order={3}>{CRM_NAME[c.crm]}</Title>
              <PausedWorkBanner connectionId={c.id!} />
              <ApiAllocationForm connectionId={c.id!} />
              <UsageChart connectionId={c.id!} />
            </Stack>
          ))}
        </Stack>
      )}
    </>
  );
}
