import { Badge, Button, Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatDateTime } from '../lib/format';

/**
 * Where a CRM connection stands. `unavailable` is today's state (connections ship in a later
 * release); the others are what the connections feature will feed in.
 */
export type ConnectionStatus =
  | { state: 'unavailable'; reason: string }
  | { state: 'disconnected' }
  | { state: 'connecting' }
  | { state: 'connected'; accountName: string; connectedAt: string }
  | { state: 'error'; message: string };

export interface IntegrationCardProps {
  name: string;
  description: string;
  logo: ReactNode;
  /** What the integration syncs, shown as a short list. */
  capabilities: string[];
  status: ConnectionStatus;
  onConnect?: () => void;
  onDisconnect?: () => void;
  onConfigure?: () => void;
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
      return (
        <>
          Connected to <b>{status.accountName}</b> since {formatDateTime(status.connectedAt)}.
        </>
      );
    case 'error':
      return <>{status.message}</>;
  }
}

export function IntegrationCard({ name, description, logo, capabilities, status, onConnect, onDisconnect, onConfigure }: IntegrationCardProps) {
  const connected = status.state === 'connected';
  return (
    <Card padding="lg" data-testid={`integration-${name.toLowerCase()}`} h="100%">
      <Stack gap="md" h="100%" justify="space-between">
        <Stack gap="md">
          <Group justify="space-between" align="flex-start">
            <Group gap="sm">
              <ThemeIcon size={44} radius="md" variant="light" color="gray">
                {logo}
              </ThemeIcon>
              <div>
                <Text fw={600}>{name}</Text>
                <Text size="xs" c="dimmed">
                  CRM
                </Text>
              </div>
            </Group>
            <StatusBadge status={status} />
          </Group>
          <Text size="sm">{description}</Text>
          <Stack gap={4}>
            {capabilities.map((item) => (
              <Text key={item} size="sm" c="dimmed">
                • {item}
              </Text>
            ))}
          </Stack>
        </Stack>
        <Stack gap="sm">
          <Text size="xs" c={status.state === 'error' ? 'red' : 'dimmed'}>
            <StatusText status={status} />
          </Text>
          <Group gap="sm">
            {connected ? (
              <>
                <Button variant="default" onClick={onConfigure} disabled={!onConfigure}>
                  Configure mapping
                </Button>
                <Button variant="subtle" color="red" onClick={onDisconnect} disabled={!onDisconnect}>
                  Disconnect
                </Button>
              </>
            ) : (
              <Button
                onClick={onConnect}
                disabled={status.state === 'unavailable' || status.state === 'connecting' || !onConnect}
                loading={status.state === 'connecting'}
              >
                {status.state === 'error' ? `Reconnect ${name}` : `Connect ${name}`}
              </Button>
            )}
          </Group>
        </Stack>
      </Stack>
    </Card>
  );
}
