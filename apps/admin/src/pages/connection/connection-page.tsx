import type { ConnectionDto, CrmKind } from '@conduit/contracts';
import { Anchor, Badge, Breadcrumbs, Button, Card, Group, Loader, Stack, Tabs, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useSession } from '../../api/auth';
import { useConnectCrm, useConnections } from '../../api/connections';
import { ErrorState } from '../../components/error-state';
import { NotFoundPage } from '../not-found-page';
import { NeedsAttentionTable } from '../export/needs-attention-page';
import { CrmListsPanel } from '../lists/lists-page';
import { ActivitySettingsForm } from '../settings/activity-settings-dialog';
import { ApiAllocationForm } from '../settings/api-budget/allocation-form';
import { PausedWorkBanner } from '../settings/api-budget/paused-work';
import { UsageChart } from '../settings/api-budget/usage-chart';
import { ExportSettingsTabs } from '../settings/export-settings-dialog';
import { MappingEditor } from '../settings/mapping-dialog';
import { ImportTab } from './import-tab';
import { OverviewTab } from './overview-tab';
import { accountOf, CONNECTION_TABS, CRM_INFO, CRM_NAMES, HealthAlert, isConnectionTab, isCrmKind, type ConnectionTab } from './connection-status';
import { useDisconnect } from './use-disconnect';

/** What each tab says it is for, under its title. */
const TAB_INTROS: Record<ConnectionTab, string> = {
  overview: '',
  mapping: 'Which CRM field each Conduit field reads and writes, which side wins, and how picklist values translate.',
  import: 'What Conduit imports from this CRM, how often, and a full backfill on demand (previewed first).',
  export: 'When people are written to this CRM, who owns them there, and the status Conduit writes.',
  activities: 'Which Conduit activities are logged on the CRM timeline, and what they are attached to.',
  lists: 'Lists from this CRM, usable as campaign audiences or suppression lists. Conduit never changes them.',
  'api-budget': "How many of the CRM's daily API calls Conduit may use, what it uses them for, and what waits for the next day.",
  failures: 'Prospects Conduit could not write to this CRM, with its reason. Fix the cause, then retry.',
};

function StateBadge({ c }: { c: ConnectionDto | undefined }) {
  if (!c || c.state === 'not_connected') return <Badge color="gray" variant="light" radius="sm">Not connected</Badge>;
  if (c.state === 'needs_reconnect') return <Badge color="red" variant="light" radius="sm">Needs reconnect</Badge>;
  return <Badge color="teal" variant="light" radius="sm">Connected</Badge>;
}

function Header({ crm, c }: { crm: CrmKind; c: ConnectionDto | undefined }) {
  return (
    <Stack gap="sm" mb="lg">
      <Breadcrumbs>
        <Anchor component={Link} to="/settings/integrations" size="sm">
          Integrations
        </Anchor>
        <Text size="sm">{CRM_NAMES[crm]}</Text>
      </Breadcrumbs>
      <Group gap="sm" wrap="nowrap" align="center">
        <ThemeIcon size={44} radius="md" variant="light" color="gray">
          {CRM_INFO[crm].logo}
        </ThemeIcon>
        <div style={{ minWidth: 0 }}>
          <Group gap="xs" wrap="wrap">
            <Title order={2}>{CRM_NAMES[crm]}</Title>
            <StateBadge c={c} />
          </Group>
          {c && c.state !== 'not_connected' && (
            <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {accountOf(c)}
            </Text>
          )}
        </div>
      </Group>
    </Stack>
  );
}

/** A CRM that is not connected: what it does and Connect (the OAuth callback comes back to Integrations). */
function NotConnected({ crm, isAdmin }: { crm: CrmKind; isAdmin: boolean }) {
  const connect = useConnectCrm();
  return (
    <Card padding="lg">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{CRM_INFO[crm].description}</Text>
        {isAdmin ? (
          <Button onClick={() => connect.mutate(crm)} loading={connect.isPending}>
            Connect {CRM_NAMES[crm]}
          </Button>
        ) : (
          <Text size="sm" c="dimmed">
            Only admins can connect integrations.
          </Text>
        )}
      </Stack>
    </Card>
  );
}

function TabBody({ tab, c, isAdmin, onDisconnect }: { tab: ConnectionTab; c: ConnectionDto; isAdmin: boolean; onDisconnect: () => void }) {
  const connectionId = c.id;
  switch (tab) {
    case 'overview':
      return <OverviewTab c={c} isAdmin={isAdmin} onDisconnect={onDisconnect} />;
    case 'mapping':
      return <MappingEditor crm={c.crm} opened />;
    case 'import':
      return connectionId ? <ImportTab crm={c.crm} connectionId={connectionId} /> : null;
    case 'export':
      return <ExportSettingsTabs crm={c.crm} />;
    case 'activities':
      return (
        <Card padding="lg">
          <ActivitySettingsForm crm={c.crm} />
        </Card>
      );
    case 'lists':
      return (
        <Stack gap="sm">
          {connectionId && <PausedWorkBanner connectionId={connectionId} only="list" />}
          <CrmListsPanel crm={c.crm} />
        </Stack>
      );
    case 'api-budget':
      return connectionId ? (
        <Stack gap="sm">
          <PausedWorkBanner connectionId={connectionId} />
          <ApiAllocationForm connectionId={connectionId} />
          <UsageChart connectionId={connectionId} />
          <Text size="sm" c="dimmed">
            Every connected CRM side by side: <Anchor component={Link} to="/settings/api-budget" inherit>Settings → API budget</Anchor>.
          </Text>
        </Stack>
      ) : null;
    case 'failures':
      return (
        <Stack gap="md">
          <HealthAlert c={c} />
          <NeedsAttentionTable crm={c.crm} />
          <Text size="sm" c="dimmed">
            Opt-outs and bounces a CRM refused are listed in <Anchor component={Link} to="/needs-attention" inherit>Needs attention</Anchor>.
          </Text>
        </Stack>
      );
  }
}

/**
 * One home per CRM connection: `/settings/integrations/hubspot?tab=mapping`. Overview, field mapping, import, export,
 * activities, lists, API budget and failures, the way HubSpot's own connector settings are organised; each tab renders
 * the same component its older page or dialog does.
 */
export function ConnectionPage() {
  const { crm } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const isAdmin = session.data?.user.role === 'admin';
  const connections = useConnections();
  const disconnect = useDisconnect(() => void navigate('/settings/integrations'));
  if (!isCrmKind(crm)) return <NotFoundPage />;

  const c = connections.data?.find((x) => x.crm === crm);
  const requested = params.get('tab');
  // Members see the overview; the settings behind the other tabs are the admins'.
  const tabs = isAdmin ? CONNECTION_TABS : CONNECTION_TABS.filter((t) => t.value === 'overview');
  const tab: ConnectionTab = isConnectionTab(requested) && tabs.some((t) => t.value === requested) ? requested : 'overview';
  const intro = TAB_INTROS[tab];

  let body: ReactNode;
  if (connections.isError) body = <ErrorState error={connections.error} title="Could not load the connection" onRetry={() => void connections.refetch()} />;
  else if (connections.isPending) body = <Loader size="sm" />;
  else if (!c || c.state === 'not_connected') body = <NotConnected crm={crm} isAdmin={isAdmin} />;
  else
    body = (
      <Tabs
        value={tab}
        onChange={(next) => {
          if (isConnectionTab(next)) setParams(next === 'overview' ? {} : { tab: next });
        }}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          {tabs.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((t) => (
          <Tabs.Panel key={t.value} value={t.value} data-testid={`connection-tab-${t.value}`}>
            {intro && (
              <Text size="sm" c="dimmed" mb="md">
                {intro}
              </Text>
            )}
            <TabBody tab={t.value} c={c} isAdmin={isAdmin} onDisconnect={() => disconnect.ask(crm)} />
          </Tabs.Panel>
        ))}
      </Tabs>
    );

  return (
    <>
      <Header crm={crm} c={c} />
      {body}
      {disconnect.modal}
    </>
  );
}
