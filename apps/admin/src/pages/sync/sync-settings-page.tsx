import type { CrmKind } from '@conduit/contracts';
import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, Loader, Modal, NumberInput, SimpleGrid, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useConnections } from '../../api/connections';
import { isOpen, type SyncObject, type SyncSettingsDto, useSaveSyncSettings, useStartBackfill, useSyncRun, useSyncRuns, useSyncSettings } from '../../api/sync';
import { ErrorState } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { RunProgress } from './run-progress';
import { formatValue, OBJECT_LABELS, RULE_LABELS } from './sync-format';

const CRM_NAME: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };
const OBJECTS: Record<CrmKind, SyncObject[]> = { hubspot: ['company', 'contact'], salesforce: ['company', 'lead', 'contact'] };

/**
 * The connection's id comes from its sync runs: GET /connections does not carry it yet. The scheduler starts an
 * incremental run within 30 s of connecting, so a new connection waits for that first run.
 */
function useConnectionIdByCrm(): { ids: Partial<Record<CrmKind, string>>; loading: boolean } {
  const runs = useSyncRuns();
  const ids: Partial<Record<CrmKind, string>> = {};
  for (const r of runs.data ?? []) ids[r.crm] ??= r.connectionId;
  return { ids, loading: runs.isPending };
}

function DryRunPreview({ runId, onConfirm, confirming, onCancel }: { runId: string; onConfirm: () => void; confirming: boolean; onCancel: () => void }) {
  const run = useSyncRun(runId);
  const data = run.data;
  return (
    <Stack gap="md">
      {!data || isOpen(data) ? (
        <Stack gap="xs">
          <Text size="sm">Reading the CRM and comparing with Conduit — nothing is written…</Text>
          <RunProgress runId={runId} />
        </Stack>
      ) : data.status === 'failed' ? (
        <Alert color="red" title="The dry run failed">
          {data.error ?? 'Unknown error'}
        </Alert>
      ) : (
        <>
          <SimpleGrid cols={4} data-testid="dry-run-counts">
            {(['created', 'updated', 'unchanged', 'failed'] as const).map((k) => (
              <Card key={k} withBorder padding="sm">
                <Text size="xs" c="dimmed" tt="capitalize">
                  {k === 'created' ? 'Would create' : k === 'updated' ? 'Would update' : k}
                </Text>
                <Text fw={700} size="xl" data-testid={`dry-run-${k}`}>
                  {data.counts[k].toLocaleString('en')}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
          {data.sample && data.sample.length > 0 && (
            <Table aria-label="Sample field changes" fz="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Record</Table.Th>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>Old → new</Table.Th>
                  <Table.Th>Rule</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.sample.map((d, i) => (
                  <Table.Tr key={`${d.crmId}-${d.field}-${i}`}>
                    <Table.Td>
                      {d.entity} {d.crmId} ({d.action})
                    </Table.Td>
                    <Table.Td>{d.field}</Table.Td>
                    <Table.Td>
                      {formatValue(d.from)} → {formatValue(d.to)}
                    </Table.Td>
                    <Table.Td>{RULE_LABELS[d.rule] ?? d.rule}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button onClick={onConfirm} loading={confirming} disabled={!data || data.status !== 'done'}>
          Confirm backfill
        </Button>
      </Group>
    </Stack>
  );
}

function ConnectionSync({ crm, connectionId }: { crm: CrmKind; connectionId: string }) {
  const settings = useSyncSettings(connectionId);
  const save = useSaveSyncSettings(connectionId);
  const backfill = useStartBackfill(connectionId);
  const runs = useSyncRuns();
  const [draft, setDraft] = useState<SyncSettingsDto | null>(null);
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);

  const openBackfill = runs.data?.find((r) => r.connectionId === connectionId && r.kind === 'backfill' && isOpen(r));
  const name = CRM_NAME[crm];

  if (settings.isError) return <ErrorState error={settings.error} title={`Could not load ${name} sync settings`} onRetry={() => void settings.refetch()} />;
  if (!draft) return <Loader size="sm" />;

  const startDryRun = () =>
    backfill.mutate(true, {
      onSuccess: (run) => setDryRunId(run.id),
      onError: (e) => notifications.show({ color: 'red', title: 'Dry run not started', message: e.message }),
    });
  const confirm = () =>
    backfill.mutate(false, {
      onSuccess: () => {
        setDryRunId(null);
        notifications.show({ color: 'teal', title: 'Backfill started', message: `${name} records are being imported.` });
      },
      onError: (e) => notifications.show({ color: 'red', title: 'Backfill not started', message: e.message }),
    });

  return (
    <Card withBorder padding="lg" data-testid={`sync-${crm}`}>
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={4}>{name}</Title>
          <Badge color={draft.importEnabled ? 'teal' : 'gray'} variant="light">
            {draft.importEnabled ? 'Import on' : 'Import off'}
          </Badge>
        </Group>
        <Switch label={`Import from ${name}`} checked={draft.importEnabled} onChange={(e) => setDraft({ ...draft, importEnabled: e.currentTarget.checked })} />
        <Checkbox.Group label="Objects to import" value={draft.objects} onChange={(v) => setDraft({ ...draft, objects: v })}>
          <Group mt="xs">
            {OBJECTS[crm].map((o) => (
              <Checkbox key={o} value={o} label={OBJECT_LABELS[o]} />
            ))}
          </Group>
        </Checkbox.Group>
        <NumberInput
          label="Sync interval (minutes)"
          min={1}
          max={1440}
          w={200}
          value={draft.intervalMinutes}
          onChange={(v) => setDraft({ ...draft, intervalMinutes: typeof v === 'number' ? v : Number(v) || 1 })}
        />
        <Group>
          <Button
            loading={save.isPending}
            onClick={() =>
              save.mutate(draft, {
                onSuccess: () => notifications.show({ color: 'teal', title: 'Sync settings saved', message: name }),
                onError: (e) => notifications.show({ color: 'red', title: 'Not saved', message: e.message }),
              })
            }
          >
            Save sync settings
          </Button>
          <Button variant="light" onClick={startDryRun} loading={backfill.isPending && dryRunId === null} disabled={Boolean(openBackfill)}>
            Run backfill now
          </Button>
        </Group>
        {openBackfill && (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Backfill running
            </Text>
            <RunProgress runId={openBackfill.id} />
          </Stack>
        )}
      </Stack>
      <Modal opened={dryRunId !== null} onClose={() => setDryRunId(null)} title={`${name} backfill preview`} size="xl">
        {dryRunId && <DryRunPreview runId={dryRunId} onConfirm={confirm} confirming={backfill.isPending} onCancel={() => setDryRunId(null)} />}
      </Modal>
    </Card>
  );
}

export function SyncSettingsPage() {
  const connections = useConnections();
  const { ids, loading } = useConnectionIdByCrm();
  const connected = (connections.data ?? []).filter((c) => c.state !== 'not_connected');

  return (
    <>
      <PageHeader
        title="Sync"
        description="Import from your CRMs: what to import, how often, and a full backfill on demand (previewed first)."
        actions={
          <Anchor component={Link} to="/settings/sync-history">
            Sync history
          </Anchor>
        }
      />
      {connections.isError ? (
        <ErrorState error={connections.error} title="Could not load connections" onRetry={() => void connections.refetch()} />
      ) : connections.isPending || loading ? (
        <Loader />
      ) : connected.length === 0 ? (
        <Text c="dimmed">
          No CRM connected. <Anchor component={Link} to="/settings/integrations">Connect one</Anchor> to import its records.
        </Text>
      ) : (
        <Stack gap="lg">
          {connected.map((c) => {
            const id = ids[c.crm];
            return id ? (
              <ConnectionSync key={c.crm} crm={c.crm} connectionId={id} />
            ) : (
              <Card key={c.crm} withBorder padding="lg" data-testid={`sync-${c.crm}`}>
                <Group gap="sm">
                  <Loader size="xs" />
                  <Text size="sm">{CRM_NAME[c.crm]}: waiting for the first sync of this connection…</Text>
                </Group>
              </Card>
            );
          })}
        </Stack>
      )}
    </>
  );
}
