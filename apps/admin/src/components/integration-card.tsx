import { Badge, Button, Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PausedWorkflowsAlert } from '../pages/workflows/paused-workflows-alert';

/** Where a CRM connection stands, as the card shows it. */
export type ConnectionStatus =
  | { state: 'unavailable'; reason: string }
  | { state: 'disconnected' }
  | { state: 'connecting' }
  | { state: 'connected'; accountName: string; connectedAt: string }
  /** The CRM revoked the refresh token: an admin must connect again. */
  | { state: 'needs_reconnect'; message: string }
  | { state: 'error'; message: string };

export interface IntegrationCardProps {
  name: string;
  description: string;
  logo: ReactNode;
  /** What the integration syncs, shown as a short list. */
  capabilities: string[];
  status: ConnectionStatus;
  onConnect?: () => void;
  /** Offered next to Reconnect when the CRM revoked access (a connected CRM is disconnected from its own page). */
  onDisconnect?: () => void;
  /** The connection's own page (all its settings): the card links there once connected. */
  manageHref?: string;
  /** Last sync, open failures, health: shown instead of the capabilities once connected. */
  summary?: ReactNode;
  /** The outcome of the last connect attempt (connected / denied / failed). */
  notice?: ReactNode;
  /** Offered beside "Manage" to admins once connected ("Sync now"). */
  actions?: ReactNode;
  /** Members see the status but cannot connect, configure or disconnect. */
  readOnly?: boolean;
  connecting?: boolean;
}

function StatusBadge({ status }: { status: ConnectionStatus }) {
  switch (status.state) {
    case 'unavailable':
      return (
        <Badge variant="light" color="gray" radius="sm">
          Coming soon
        </Badge>
      );
    case 'disconnected':
      return (
        <Badge variant="light" color="gray" radius="sm">
          Not connected
        </Badge>
      );
    case 'connecting':
      return (
        <Badge variant="light" color="blue" radius="sm">
          Connecting…
        </Badge>
      );
    case 'connected':
      return (
        <Badge variant="light" color="teal" radius="sm">
          Connected
        </Badge>
      );
    case 'needs_reconnect':
      return (
        <Badge variant="light" color="red" radius="sm">
          Needs reconnect
        </Badge>
      );
    case 'error':
      return (
        <Badge variant="light" color="red" radius="sm">
          Needs attention
        </Badge>
      );
  }
}

function StatusText({ status }: { status: ConnectionStatus }) {
  switch (status.state) {
    case 'unavailable':
      return <>{status.reason}</>;
    case 'disconnected':
      return <>Connect with OAuth; Conduit never sees your CRM password.</>;
    case 'connecting':
      return <>Waiting for you to approve access in the CRM.</>;
    case 'connected':
      return null;
    case 'needs_reconnect':
    case 'error':
      return <>{status.message}</>;
  }
}

export function IntegrationCard({
  name,
  description,
  logo,
  capabilities,
  status,
  onConnect,
  onDisconnect,
  manageHref,
  summary,
  notice,
  actions,
  readOnly = false,
  connecting = false,
}: IntegrationCardProps) {
  const connected = status.state === 'connected';
  const failing = status.state === 'error' || status.state === 'needs_reconnect';
  return (
    <Card padding="lg" data-testid={`integration-${name.toLowerCase()}`} h="100%">
      <Stack gap="md" h="100%" justify="space-between">
        <Stack gap="md">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
              <ThemeIcon size={44} radius="md" variant="light" color="gray">
                {logo}
              </ThemeIcon>
              <div style={{ minWidth: 0 }}>
                <Text fw={600}>{name}</Text>
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }} data-testid="integration-account">
                  {connected ? status.accountName : 'CRM'}
                </Text>
              </div>
            </Group>
            <div style={{ flexShrink: 0 }}>
              <StatusBadge status={status} />
            </div>
          </Group>
          {summary ?? <Text size="sm">{description}</Text>}
          {!summary && (
            <Stack gap={4}>
              {capabilities.map((item) => (
                <Text key={item} size="sm" c="dimmed">
                  • {item}
                </Text>
              ))}
            </Stack>
          )}
        </Stack>
        <Stack gap="sm">
          {status.state !== 'unavailable' && <PausedWorkflowsAlert crm={name.toLowerCase()} />}
          {notice}
          {!connected && (
            <Text size="xs" c={failing ? 'red' : 'dimmed'} data-testid="integration-status">
              <StatusText status={status} />
            </Text>
          )}
          <Group gap="sm" align="flex-start">
            {readOnly ? (
              <>
                {connected && manageHref && (
                  <Button component={Link} to={manageHref} variant="default">
                    View {name}
                  </Button>
                )}
                <Text size="xs" c="dimmed">
                  Only admins can connect, configure or disconnect integrations.
                </Text>
              </>
            ) : connected ? (
              <>
                {manageHref && (
                  <Button component={Link} to={manageHref} variant="default">
                    Manage {name}
                  </Button>
                )}
                {actions}
              </>
            ) : (
              <Button
                onClick={onConnect}
                disabled={status.state === 'unavailable' || status.state === 'connecting' || !onConnect}
                loading={status.state === 'connecting' || connecting}
              >
                {failing ? `Reconnect ${name}` : `Connect ${name}`}
              </Button>
            )}
            {!readOnly && status.state === 'needs_reconnect' && onDisconnect && (
              <Button variant="subtle" color="red" onClick={onDisconnect}>
                Disconnect
              </Button>
            )}
          </Group>
        </Stack>
      </Stack>
    </Card>
  );
}
