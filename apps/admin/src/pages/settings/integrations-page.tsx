import type { ConnectionDto, ConnectionErrorCode, CrmKind, TokenHealth } from '@conduit/contracts';
import { Alert, Anchor, Badge, CloseButton, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconCloud, IconHexagonLetterH } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../../api/auth';
import { useConnectCrm, useConnections, useDisconnectCrm } from '../../api/connections';
import { useConfirmDelete } from '../../components/confirm-delete';
import { ErrorState } from '../../components/error-state';
import { IntegrationCard, type ConnectionStatus } from '../../components/integration-card';
import { ActivitySettingsLauncher } from './activity-settings-dialog';
import { ExportSettingsLauncher } from './export-settings-dialog';
import { PageHeader } from '../../components/page-header';
import { formatDateTime, formatTimeOfDay } from '../../lib/format';
import { PausedWorkBanner } from './api-budget/paused-work';
import { MappingDialog } from './mapping-dialog';
import { CRM_LABELS } from './mapping-draft';

const CRMS: Array<{ crm: CrmKind; logo: ReactNode; description: string; capabilities: string[] }> = [
  {
    crm: 'hubspot',
    logo: <IconHexagonLetterH size={26} color="#ff7a59" />,
    description: 'Sync contacts and companies with HubSpot and log outbound activity on the contact timeline.',
    capabilities: ['Contacts and companies, both ways', 'Owner and lead status mapping', 'Push prospects from Lead Research'],
  },
  {
    crm: 'salesforce',
    logo: <IconCloud size={26} color="#00a1e0" />,
    description: 'Create and update Salesforce Leads and Accounts from Conduit, matched by email to avoid duplicates.',
    capabilities: ['Leads, contacts and accounts', 'Field mapping to standard and custom fields', 'Push prospects from Lead Research'],
  },
];

/** What the `?error=` code of the OAuth callback means, in words. */
export function connectErrorMessage(crm: CrmKind, code: string | null): string {
  const name = CRM_LABELS[crm];
  switch (code as ConnectionErrorCode | null) {
    case 'access_denied':
      return `Access was not granted in ${name}. Connect again and choose Approve to let Conduit sync.`;
    case 'state_expired':
      return 'The connection request expired (after 10 minutes). Start again.';
    case 'state_replayed':
      return 'This connection link was already used. Start again from this page.';
    case 'invalid_state':
      return 'The connection request could not be verified. Start again from this page.';
    case 'session_mismatch':
      return 'The connection was started from another session. Sign in as an admin and start again here.';
    case 'exchange_failed':
      return `${name} did not complete the connection. Try again in a moment.`;
    case 'already_connected_elsewhere':
      return `This workspace is already connected to another ${name} account.`;
    case null:
    default:
      return `Connecting ${name} failed. Try again.`;
  }
}

const HEALTH: Record<TokenHealth, { label: string; color: string }> = {
  ok: { label: 'Token OK', color: 'teal' },
  expiring: { label: 'Token expiring (refreshes on next use)', color: 'yellow' },
  needs_reconnect: { label: 'Needs reconnect', color: 'red' },
};

function statusOf(c: ConnectionDto | undefined): ConnectionStatus {
  if (!c || c.state === 'not_connected') return { state: 'disconnected' };
  if (c.state === 'needs_reconnect') {
    return { state: 'needs_reconnect', message: c.lastError ?? `${CRM_LABELS[c.crm]} revoked Conduit's access. Reconnect to resume syncing.` };
  }
  return { state: 'connected', accountName: c.accountName ?? c.accountId ?? CRM_LABELS[c.crm], connectedAt: c.connectedAt ?? '' };
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="xs" c="dimmed" w={110} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <div style={{ minWidth: 0 }}>{children}</div>
    </Group>
  );
}

/** A CRM that keeps failing: a few failed calls, or failures for over a minute (one blip clears on the next success). */
export function persistentlyFailing(c: Pick<ConnectionDto, 'health'>, now: Date = new Date()): boolean {
  if (!c.health) return false;
  return c.health.failures >= 3 || now.getTime() - new Date(c.health.failingSince).getTime() > 60_000;
}

function HealthAlert({ c }: { c: ConnectionDto }) {
  if (!c.health || !persistentlyFailing(c)) return null;
  const { health } = c;
  return (
    <Alert color="orange" variant="light" title={`${CRM_LABELS[c.crm]} keeps failing`} data-testid={`connection-health-${c.crm}`}>
      <Text size="sm">
        {health.lastError} — failing since {formatTimeOfDay(health.failingSince)}, {health.failures} failed {health.failures === 1 ? 'call' : 'calls'}.
      </Text>
      <Text size="xs" c="dimmed">
        Conduit keeps retrying. Pushes that fail meanwhile are in{' '}
        <Anchor component={Link} to="/needs-attention" size="xs">
          Needs attention
        </Anchor>
        ; activities wait and are logged once {CRM_LABELS[c.crm]} answers again.
      </Text>
    </Alert>
  );
}

function ConnectionDetails({ c }: { c: ConnectionDto }) {
  const drifts = c.discovery.filter((d) => d.drift);
  return (
    <Stack gap={6} data-testid={`connection-details-${c.crm}`}>
      <HealthAlert c={c} />
      <Detail label="Account">
        <Text size="sm">{c.accountName ?? c.accountId}</Text>
        {c.instanceUrl && (
          <Text size="xs" c="dimmed">
            {c.instanceUrl}
          </Text>
        )}
      </Detail>
      <Detail label="Connected">
        <Text size="sm">
          {c.connectedBy ? `by ${c.connectedBy.name} ` : ''}
          {c.connectedAt ? `on ${formatDateTime(c.connectedAt)}` : ''}
        </Text>
      </Detail>
      <Detail label="Scopes">
        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
          {c.scopes.join(', ') || '—'}
        </Text>
      </Detail>
      <Detail label="Token">
        {c.tokenHealth ? (
          <Badge variant="light" radius="sm" color={HEALTH[c.tokenHealth].color} data-testid={`token-health-${c.crm}`}>
            {HEALTH[c.tokenHealth].label}
          </Badge>
        ) : (
          '—'
        )}
      </Detail>
      <Detail label="Fields">
        <Text size="sm">{c.lastDiscoveryAt ? `Read ${formatDateTime(c.lastDiscoveryAt)}` : 'Not read yet'}</Text>
        <Text size="xs" c="dimmed">
          {c.discovery.map((d) => `${d.object}: ${d.fieldCount} (${d.customFieldCount} custom)`).join(' · ')}
        </Text>
        {drifts.map((d) => (
          <Text size="xs" c="yellow.8" key={d.object} data-testid={`drift-${c.crm}-${d.object}`}>
            {d.object} changed{d.driftDetectedAt ? ` ${formatDateTime(d.driftDetectedAt)}` : ''}: +{d.drift!.added.length} added, −{d.drift!.removed.length} removed,{' '}
            {d.drift!.changed.length} changed
            {d.drift!.removed.length ? ` (removed: ${d.drift!.removed.join(', ')})` : ''}
          </Text>
        ))}
      </Detail>
    </Stack>
  );
}

export function IntegrationsPage() {
  const session = useSession();
  const isAdmin = session.data?.user.role === 'admin';
  const connections = useConnections();
  const connect = useConnectCrm();
  const disconnect = useConfirmDelete({
    mutation: useDisconnectCrm(),
    variables: (crm: CrmKind) => crm,
    title: (crm) => `Disconnect ${CRM_LABELS[crm]}`,
    confirmLabel: 'Disconnect',
    message: (crm) =>
      `Conduit revokes its access in ${CRM_LABELS[crm]}, deletes the stored tokens and clears the field mapping and sync settings. Records already pushed stay in the CRM.`,
    onDone: () => dismiss(),
  });
  const [params, setParams] = useSearchParams();
  const [configuring, setConfiguring] = useState<CrmKind | null>(null);

  const connectedParam = params.get('connected');
  const errorParam = params.get('error');
  const errorCrm = params.get('crm');
  const dismiss = () => setParams({}, { replace: true });

  function noticeFor(crm: CrmKind): ReactNode {
    if (connectedParam === crm) {
      return (
        <Alert color="teal" variant="light" role="status" withCloseButton={false}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{CRM_LABELS[crm]} connected. Fields were read and the default mapping is in place.</Text>
            <CloseButton size="sm" aria-label="Dismiss" onClick={dismiss} />
          </Group>
        </Alert>
      );
    }
    if (errorParam && errorCrm === crm) {
      return (
        <Alert color="red" variant="light" role="alert" data-testid={`connect-error-${crm}`}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{connectErrorMessage(crm, errorParam)}</Text>
            <CloseButton size="sm" aria-label="Dismiss" onClick={dismiss} />
          </Group>
        </Alert>
      );
    }
    if (connect.isError && connect.variables === crm) {
      return (
        <Alert color="red" variant="light" role="alert">
          {connect.error.message}
        </Alert>
      );
    }
    return null;
  }

  return (
    <>
      <PageHeader title="Integrations" description="Connect your CRM so prospects, companies and activity stay in sync." />
      {connections.isError ? (
        <ErrorState error={connections.error} onRetry={() => void connections.refetch()} />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          {CRMS.map(({ crm, logo, description, capabilities }) => {
            if (connections.isLoading) return <Skeleton key={crm} h={320} radius="md" />;
            const c = connections.data?.find((x) => x.crm === crm);
            return (
              <IntegrationCard
                key={crm}
                name={CRM_LABELS[crm]}
                logo={logo}
                description={description}
                capabilities={capabilities}
                status={statusOf(c)}
                details={
                  c && c.state !== 'not_connected' ? (
                    <>
                      <ConnectionDetails c={c} />
                      {isAdmin && c.state === 'connected' && (
                        <Group gap="xs" mt="sm">
                          <ExportSettingsLauncher crm={crm} />
                          <ActivitySettingsLauncher crm={crm} />
                        </Group>
                      )}
                    </>
                  ) : undefined
                }
                notice={
                  <>
                    {noticeFor(crm)}
                    {c?.id && c.state === 'connected' && <PausedWorkBanner connectionId={c.id} />}
                  </>
                }
                readOnly={!isAdmin}
                connecting={connect.isPending && connect.variables === crm}
                onConnect={() => connect.mutate(crm)}
                onConfigure={() => setConfiguring(crm)}
                onDisconnect={() => disconnect.ask(crm)}
              />
            );
          })}
        </SimpleGrid>
      )}
      {configuring && <MappingDialog crm={configuring} opened onClose={() => setConfiguring(null)} />}
      {disconnect.modal}
    </>
  );
}
