import type { ConnectionDto } from '@conduit/contracts';
import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { formatDateTime } from '../../lib/format';
import { PausedWorkBanner } from '../settings/api-budget/paused-work';
import { PausedWorkflowsAlert } from '../workflows/paused-workflows-alert';
import { connectionPath, CRM_NAMES, HealthAlert, ScopesDisclosure, TOKEN_HEALTH } from './connection-status';
import { ConnectionSummaryFacts, Fact } from './connection-summary';

// HubSpot names its objects in the plural, Salesforce in the singular (Lead, Contact, Account).
const OBJECT_NAMES: Record<string, string> = { contacts: 'Contacts', contact: 'Contacts', companies: 'Companies', lead: 'Leads', account: 'Accounts', deals: 'Deals' };
const objectName = (object: string) => OBJECT_NAMES[object.toLowerCase()] ?? object;

function FieldsRead({ c }: { c: ConnectionDto }) {
  return (
    <>
      <Text size="sm">{c.lastDiscoveryAt ? `Read ${formatDateTime(c.lastDiscoveryAt)}` : 'Not read yet'}</Text>
      {c.discovery.map((d) => (
        <Text size="xs" c="dimmed" key={d.object}>
          {objectName(d.object)}: {d.fieldCount.toLocaleString('en')} fields ({d.customFieldCount.toLocaleString('en')} custom)
        </Text>
      ))}
      {c.discovery.map(
        (d) =>
          d.drift && (
            <Text size="xs" c="yellow.8" key={`drift-${d.object}`} data-testid={`drift-${c.crm}-${d.object}`}>
              {objectName(d.object)} changed{d.driftDetectedAt ? ` ${formatDateTime(d.driftDetectedAt)}` : ''}: {d.drift.added.length} added, {d.drift.removed.length} removed,{' '}
              {d.drift.changed.length} changed
              {d.drift.removed.length ? ` (removed: ${d.drift.removed.join(', ')})` : ''}
            </Text>
          ),
      )}
    </>
  );
}

/** Overview: where the connection stands (account, token, health), its last sync and open failures, and Disconnect. */
export function OverviewTab({ c, isAdmin, onDisconnect }: { c: ConnectionDto; isAdmin: boolean; onDisconnect: () => void }) {
  const name = CRM_NAMES[c.crm];
  return (
    <Stack gap="lg">
      <HealthAlert c={c} />
      <PausedWorkflowsAlert crm={c.crm} />
      {c.id && <PausedWorkBanner connectionId={c.id} />}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Card padding="lg" data-testid={`connection-details-${c.crm}`}>
          <Stack gap="sm">
            <Title order={4}>Connection</Title>
            <Fact label="Account">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {c.accountName ?? c.accountId}
              </Text>
              {c.instanceUrl && (
                <Anchor href={c.instanceUrl} target="_blank" rel="noreferrer" size="xs" style={{ overflowWrap: 'anywhere' }}>
                  {c.instanceUrl}
                </Anchor>
              )}
            </Fact>
            <Fact label="Connected">
              <Text size="sm">
                {c.connectedBy ? `by ${c.connectedBy.name} ` : ''}
                {c.connectedAt ? `on ${formatDateTime(c.connectedAt)}` : ''}
              </Text>
            </Fact>
            <Fact label="Access">
              {c.tokenHealth ? (
                <Badge variant="light" radius="sm" color={TOKEN_HEALTH[c.tokenHealth].color} data-testid={`token-health-${c.crm}`}>
                  {TOKEN_HEALTH[c.tokenHealth].label}
                </Badge>
              ) : (
                <Text size="sm">—</Text>
              )}
            </Fact>
            <Fact label="Fields">
              <FieldsRead c={c} />
            </Fact>
            <ScopesDisclosure crm={c.crm} scopes={c.scopes} />
          </Stack>
        </Card>
        <Card padding="lg">
          <Stack gap="sm">
            <Title order={4}>Sync</Title>
            <ConnectionSummaryFacts c={c} />
            {isAdmin && (
              <Group gap="sm" mt="xs">
                <Button component={Link} to={connectionPath(c.crm, 'import')} variant="default" size="xs">
                  Import settings
                </Button>
                <Button component={Link} to={connectionPath(c.crm, 'mapping')} variant="default" size="xs">
                  Field mapping
                </Button>
                <Button component={Link} to="/settings/sync-history" variant="subtle" size="xs">
                  Sync history
                </Button>
              </Group>
            )}
          </Stack>
        </Card>
      </SimpleGrid>
      {isAdmin && (
        <Card padding="lg">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <div style={{ minWidth: 0, flex: '1 1 280px' }}>
              <Text fw={600}>Disconnect {name}</Text>
              <Text size="sm" c="dimmed">
                Conduit stops syncing, deletes its tokens and clears this connection's mapping and settings. Records already in {name} stay there.
              </Text>
            </div>
            <Button variant="light" color="red" onClick={onDisconnect}>
              Disconnect
            </Button>
          </Group>
        </Card>
      )}
    </Stack>
  );
}
