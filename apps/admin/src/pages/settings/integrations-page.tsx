import type { ConnectionErrorCode, CrmKind } from '@conduit/contracts';
import { Alert, CloseButton, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useSession } from '../../api/auth';
import { useConnectCrm, useConnections } from '../../api/connections';
import { useDisconnect } from '../connection/use-disconnect';
import { ErrorState } from '../../components/error-state';
import { IntegrationCard } from '../../components/integration-card';
import { PageHeader } from '../../components/page-header';
import { PausedWorkBanner } from './api-budget/paused-work';
import { CRM_INFO, CRM_KINDS, connectionPath, connectionStatus, HealthAlert } from '../connection/connection-status';
import { ConnectionSummaryFacts } from '../connection/connection-summary';
import { ConnectionSyncNow } from '../connection/connection-sync-now';
import { CRM_LABELS } from './mapping-draft';

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

export function IntegrationsPage() {
  const session = useSession();
  const isAdmin = session.data?.user.role === 'admin';
  const connections = useConnections();
  const connect = useConnectCrm();
  const disconnect = useDisconnect(() => dismiss());
  const [params, setParams] = useSearchParams();

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
          {CRM_KINDS.map((crm) => {
            if (connections.isLoading) return <Skeleton key={crm} h={320} radius="md" />;
            const c = connections.data?.find((x) => x.crm === crm);
            const { logo, description, capabilities } = CRM_INFO[crm];
            const linked = c && c.state !== 'not_connected';
            return (
              <IntegrationCard
                key={crm}
                name={CRM_LABELS[crm]}
                logo={logo}
                description={description}
                capabilities={capabilities}
                status={connectionStatus(c)}
                summary={
                  linked ? (
                    <Stack gap="sm" data-testid={`connection-details-${crm}`}>
                      <HealthAlert c={c} />
                      <ConnectionSummaryFacts c={c} />
                    </Stack>
                  ) : undefined
                }
                manageHref={linked ? connectionPath(crm) : undefined}
                notice={
                  <>
                    {noticeFor(crm)}
                    {c?.id && c.state === 'connected' && <PausedWorkBanner connectionId={c.id} />}
                  </>
                }
                actions={c?.id && c.state === 'connected' ? <ConnectionSyncNow crm={crm} connectionId={c.id} /> : undefined}
                readOnly={!isAdmin}
                connecting={connect.isPending && connect.variables === crm}
                onConnect={() => connect.mutate(crm)}
                onDisconnect={() => disconnect.ask(crm)}
              />
            );
          })}
        </SimpleGrid>
      )}
      {disconnect.modal}
    </>
  );
}
