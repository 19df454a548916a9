import type { ConnectionDto, CrmKind, TokenHealth } from '@conduit/contracts';
import { Alert, Anchor, Collapse, List, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight, IconCloud, IconHexagonLetterH } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useNeedsAttention } from '../../api/export';
import { isOpen, useSyncRuns, type SyncRunDto } from '../../api/sync';
import type { ConnectionStatus } from '../../components/integration-card';
import { formatTimeOfDay } from '../../lib/format';

export const CRM_KINDS: readonly CrmKind[] = ['hubspot', 'salesforce'];
export const CRM_NAMES: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

export const isCrmKind = (value: string | undefined): value is CrmKind => value === 'hubspot' || value === 'salesforce';

/** What each CRM is, as the Integrations page and a connection's page introduce it. */
export const CRM_INFO: Record<CrmKind, { logo: ReactNode; description: string; capabilities: string[] }> = {
  hubspot: {
    logo: <IconHexagonLetterH size={26} color="#ff7a59" />,
    description: 'Sync contacts and companies with HubSpot and log outbound activity on the contact timeline.',
    capabilities: ['Contacts and companies, both ways', 'Owner and lead status mapping', 'Push prospects from Lead Research'],
  },
  salesforce: {
    logo: <IconCloud size={26} color="#00a1e0" />,
    description: 'Create and update Salesforce Leads and Accounts from Conduit, matched by email to avoid duplicates.',
    capabilities: ['Leads, contacts and accounts', 'Field mapping to standard and custom fields', 'Push prospects from Lead Research'],
  },
};

/** The tabs of a connection's page, in the order HubSpot's own connector settings use; `?tab=` holds the value. */
export const CONNECTION_TABS = [
  { value: 'overview', label: 'Overview' },
  { value: 'mapping', label: 'Field mapping' },
  { value: 'import', label: 'Import' },
  { value: 'export', label: 'Export' },
  { value: 'activities', label: 'Activities' },
  { value: 'lists', label: 'Lists' },
  { value: 'api-budget', label: 'API budget' },
  { value: 'failures', label: 'Failures' },
] as const;
export type ConnectionTab = (typeof CONNECTION_TABS)[number]['value'];

export const isConnectionTab = (value: string | null): value is ConnectionTab => CONNECTION_TABS.some((t) => t.value === value);

/** `/settings/integrations/hubspot?tab=export`: the CRM's name in the URL, never the connection's id. */
export function connectionPath(crm: CrmKind, tab?: ConnectionTab): string {
  return `/settings/integrations/${crm}${tab && tab !== 'overview' ? `?tab=${tab}` : ''}`;
}

export const TOKEN_HEALTH: Record<TokenHealth, { label: string; color: string }> = {
  ok: { label: 'Token OK', color: 'teal' },
  expiring: { label: 'Token expiring (refreshes on next use)', color: 'yellow' },
  needs_reconnect: { label: 'Needs reconnect', color: 'red' },
};

export function connectionStatus(c: ConnectionDto | undefined): ConnectionStatus {
  if (!c || c.state === 'not_connected') return { state: 'disconnected' };
  if (c.state === 'needs_reconnect') {
    return { state: 'needs_reconnect', message: c.lastError ?? `${CRM_NAMES[c.crm]} revoked Conduit's access. Reconnect to resume syncing.` };
  }
  return { state: 'connected', accountName: accountOf(c), connectedAt: c.connectedAt ?? '' };
}

/** The account as the admin knows it: the HubSpot hub domain or the Salesforce org's user name. */
export const accountOf = (c: ConnectionDto): string => c.accountName ?? c.accountId ?? CRM_NAMES[c.crm];

/** A CRM that keeps failing: a few failed calls, or failures for over a minute (one blip clears on the next success). */
export function persistentlyFailing(c: Pick<ConnectionDto, 'health'>, now: Date = new Date()): boolean {
  if (!c.health) return false;
  return c.health.failures >= 3 || now.getTime() - new Date(c.health.failingSince).getTime() > 60_000;
}

export function HealthAlert({ c }: { c: ConnectionDto }) {
  if (!c.health || !persistentlyFailing(c)) return null;
  const { health } = c;
  return (
    <Alert color="orange" variant="light" title={`${CRM_NAMES[c.crm]} keeps failing`} data-testid={`connection-health-${c.crm}`}>
      <Text size="sm">
        {health.lastError} — failing since {formatTimeOfDay(health.failingSince)}, {health.failures} failed {health.failures === 1 ? 'call' : 'calls'}.
      </Text>
      <Text size="xs" c="dimmed">
        Conduit keeps retrying. Pushes that fail meanwhile are in{' '}
        <Anchor component={Link} to={connectionPath(c.crm, 'failures')} size="xs">
          Failures
        </Anchor>
        ; activities wait and are logged once {CRM_NAMES[c.crm]} answers again.
      </Text>
    </Alert>
  );
}

/** OAuth scopes in words (the scope itself stays in the tooltip for whoever checks the CRM's app settings). */
const SCOPE_WORDS: Record<string, string> = {
  oauth: 'Connect to your HubSpot account',
  'crm.objects.contacts.read': 'Read contacts',
  'crm.objects.contacts.write': 'Create and update contacts',
  'crm.objects.companies.read': 'Read companies',
  'crm.objects.companies.write': 'Create and update companies',
  'crm.objects.deals.read': 'Read deals',
  'crm.objects.deals.write': 'Create and update deals',
  'crm.objects.owners.read': 'See the users who own records',
  'crm.schemas.contacts.read': 'Read which contact properties exist',
  'crm.schemas.companies.read': 'Read which company properties exist',
  'crm.lists.read': 'Read lists and their members',
  api: 'Read and write records (Leads, Contacts, Accounts, Opportunities, Campaigns, tasks)',
  refresh_token: 'Stay connected without asking you to sign in again',
  id: 'See which org and user the connection belongs to',
};

export const scopeInWords = (scope: string): string => SCOPE_WORDS[scope] ?? scope;

/** "What Conduit may do in HubSpot": the granted scopes, folded away and in words. */
export function ScopesDisclosure({ crm, scopes }: { crm: CrmKind; scopes: readonly string[] }) {
  const [opened, { toggle }] = useDisclosure(false);
  if (scopes.length === 0) return null;
  const Chevron = opened ? IconChevronDown : IconChevronRight;
  return (
    <div data-testid={`scopes-${crm}`}>
      <UnstyledButton onClick={toggle} aria-expanded={opened} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
        <Chevron size={14} />
        <Text size="sm" c="blue.7">
          What Conduit may do in {CRM_NAMES[crm]}
        </Text>
      </UnstyledButton>
      <Collapse expanded={opened}>
        <List size="sm" mt={6} spacing={2}>
          {scopes.map((s) => (
            <List.Item key={s} title={s}>
              {scopeInWords(s)}
            </List.Item>
          ))}
        </List>
      </Collapse>
    </div>
  );
}

/** What a connection's card and Overview summarise: its last finished sync, whether one runs, its open failures. */
export function useConnectionSummary(c: ConnectionDto | undefined) {
  const runs = useSyncRuns();
  const needsAttention = useNeedsAttention();
  const own = (runs.data ?? []).filter((r) => r.connectionId === c?.id && r.kind !== 'dry_run' && !r.mappingPreview);
  const lastRun: SyncRunDto | undefined = own.find((r) => !isOpen(r) && r.finishedAt !== null);
  const running = own.find(isOpen);
  const openFailures = needsAttention.data ? needsAttention.data.filter((i) => i.crm === c?.crm).length : null;
  return { lastRun, running, openFailures };
}
