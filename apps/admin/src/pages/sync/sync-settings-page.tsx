import type { CrmKind } from '@conduit/contracts';
import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, Loader, Modal, NumberInput, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useForecast, type ForecastDto } from '../../api/api-budget';
import { useConnections } from '../../api/connections';
import { isOpen, type SyncObject, type SyncRunDto, type SyncSettingsDto, useSaveSyncSettings, useStartBackfill, useStartRemap, useSyncRun, useSyncRuns, useSyncSettings } from '../../api/sync';
import { ErrorState } from '../../components/error-state';
import { ConnectionSyncNow } from '../connection/connection-sync-now';
import { PageHeader } from '../../components/page-header';
import { ForecastPanel } from '../settings/api-budget/forecast-panel';
import { PausedWorkBanner } from '../settings/api-budget/paused-work';
import { RunProgress } from './run-progress';
import { DryRunResult } from './dry-run-result';
import { formatDateTime } from '../../lib/format';
import { objectLabel, RUN_KIND_LABELS } from './sync-format';

const CRM_NAME: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };
const OBJECTS: Record<CrmKind, SyncObject[]> = { hubspot: ['company', 'contact', 'deal', 'owner', 'list'], salesforce: ['company', 'lead', 'contact', 'deal', 'owner', 'list'] };

type ForecastState = { forecast: ForecastDto | undefined; pending: boolean; error: unknown };

function DryRunPreview({ runId, forecast, onConfirm, confirming, onCancel }: { runId: string; forecast: ForecastState; onConfirm: () => void; confirming: boolean; onCancel: () => void }) {
  const run = useSyncRun(runId);
  const data = run.data;
  return (
    <Stack gap="md">
      <ForecastPanel {...forecast} />
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
          <DryRunResult run={data} />
          <Text size="xs" c="dimmed">
            The preview covers people and companies; deals, owners and lists selected for import are read after them as the CRM holds them.
          </Text>
        </>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button onClick={onConfirm} loading={confirming} disabled={!data || data.status !== 'done' || forecast.pending}>
          Confirm backfill
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * Backfills and re-maps of this connection that this page saw start or run, once they are over: a small run can end
 * between two polls, and its progress bar would vanish without a word.
 */
function useFinishedRuns(connectionId: string, runs: SyncRunDto[] | undefined) {
  const [watched, setWatched] = useState<ReadonlySet<string>>(new Set());
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const open = (runs ?? []).filter((r) => r.connectionId === connectionId && (r.kind === 'backfill' || r.kind === 'remap') && isOpen(r)).map((r) => r.id);
  const openKey = open.join(',');
  useEffect(() => {
    if (openKey) setWatched((w) => (openKey.split(',').every((id) => w.has(id)) ? w : new Set([...w, ...openKey.split(',')])));
  }, [openKey]);
  const finished = (runs ?? []).filter((r) => watched.has(r.id) && !isOpen(r) && !dismissed.has(r.id));
  return {
    finished,
    watch: (id: string) => setWatched((w) => new Set([...w, id])),
    dismiss: (id: string) => setDismissed((d) => new Set([...d, id])),
  };
}

/** "Backfill finished: 12 created, 3 updated…", with a link to the run; stays until dismissed. */
function RunFinished({ run, onDismiss }: { run: SyncRunDto; onDismiss: () => void }) {
  const failed = run.status === 'failed';
  const c = run.counts;
  return (
    <Alert
      color={failed ? 'red' : c.failed > 0 ? 'yellow' : 'teal'}
      variant="light"
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onDismiss}
      title={`${run.kind === 'incremental' ? 'Sync' : RUN_KIND_LABELS[run.kind]} ${failed ? 'failed' : 'finished'}${run.finishedAt ? ` at ${formatDateTime(run.finishedAt)}` : ''}`}
      data-testid={`run-finished-${run.id}`}
    >
      <Text size="sm">
        {failed && run.error ? `${run.error} ` : ''}
        {`${c.created.toLocaleString('en')} created, ${c.updated.toLocaleString('en')} updated, ${c.unchanged.toLocaleString('en')} unchanged, ${c.failed.toLocaleString('en')} failed. `}
        <Anchor component={Link} to={`/settings/sync-history/${run.id}`} inherit>
          See the run
        </Anchor>
      </Text>
    </Alert>
  );
}

export function ConnectionSync({ crm, connectionId }: { crm: CrmKind; connectionId: string }) {
  const settings = useSyncSettings(connectionId);
  const save = useSaveSyncSettings(connectionId);
  const backfill = useStartBackfill(connectionId);
  const remap = useStartRemap(connectionId);
  const [syncNowRunId, setSyncNowRunId] = useState<string | null>(null);
  const forecast = useForecast();
  const [remapOpen, setRemapOpen] = useState(false);
  const runs = useSyncRuns();
  const [draft, setDraft] = useState<SyncSettingsDto | null>(null);
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  const done = useFinishedRuns(connectionId, runs.data);
  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);

  const openBackfill = runs.data?.find((r) => r.connectionId === connectionId && r.kind === 'backfill' && isOpen(r));
  const openRemap = runs.data?.find((r) => r.connectionId === connectionId && r.kind === 'remap' && isOpen(r));
  // "Sync now" follows the run it started (or the one already open) until it finishes; backfills show above.
  const syncing = runs.data?.find((r) => r.id === syncNowRunId && isOpen(r) && r.kind !== 'backfill' && r.kind !== 'remap');
  const name = CRM_NAME[crm];
  const importOff = settings.data ? !settings.data.importEnabled : false;

  if (settings.isError) return <ErrorState error={settings.error} title={`Could not load ${name} sync settings`} onRetry={() => void settings.refetch()} />;
  if (!draft) return <Loader size="sm" />;

  const forecastState: ForecastState = { forecast: forecast.data, pending: forecast.isPending, error: forecast.error };
  const startDryRun = () =>
    backfill.mutate(
      { dryRun: true },
      {
        onSuccess: (run) => {
          setDryRunId(run.id);
          // The backfill reads the saved objects: the forecast counts those.
          forecast.mutate({ connectionId, body: { kind: 'backfill' } });
        },
        onError: (e) => notifications.show({ color: 'red', title: 'Dry run not started', message: e.message }),
      },
    );
  const confirm = () =>
    backfill.mutate({ dryRun: false, ...(forecast.data?.kind === 'backfill' ? { forecastId: forecast.data.id } : {}) }, {
      onSuccess: (run) => {
        done.watch(run.id);
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
              <Checkbox key={o} value={o} label={objectLabel(crm, o)} />
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
          <ConnectionSyncNow
            crm={crm}
            connectionId={connectionId}
            disabledReason={importOff ? `Import from ${name} is off: turn it on and save to sync` : null}
            onRun={(run) => {
              setSyncNowRunId(run.id);
              done.watch(run.id);
            }}
          />
          <Button variant="light" onClick={startDryRun} loading={backfill.isPending && dryRunId === null} disabled={Boolean(openBackfill)}>
            Run backfill now
          </Button>
          <Button
            variant="default"
            loading={remap.isPending}
            disabled={Boolean(openRemap)}
            title="Re-reads the CRM records and applies the current property mapping to the people and companies already imported"
            onClick={() => {
              setRemapOpen(true);
              forecast.mutate({ connectionId, body: { kind: 'remap' } });
            }}
          >
            Re-apply mapping
          </Button>
        </Group>
        <PausedWorkBanner connectionId={connectionId} />
        {(
          [
            [openRemap, 'Re-applying the mapping'],
            [syncing, 'Syncing now'],
            [openBackfill, 'Backfill running'],
          ] as const
        ).map(
          ([run, label]) =>
            run && (
              <Stack key={label} gap={4}>
                <Text size="sm" fw={500}>
                  {label}
                </Text>
                <RunProgress runId={run.id} />
              </Stack>
            ),
        )}
        {done.finished.map((r) => (
          <RunFinished key={r.id} run={r} onDismiss={() => done.dismiss(r.id)} />
        ))}
      </Stack>
      <Modal opened={dryRunId !== null} onClose={() => setDryRunId(null)} title={`${name} backfill preview`} size="xl">
        {dryRunId && <DryRunPreview runId={dryRunId} forecast={forecastState} onConfirm={confirm} confirming={backfill.isPending} onCancel={() => setDryRunId(null)} />}
      </Modal>
      <Modal opened={remapOpen} onClose={() => setRemapOpen(false)} title={`Re-apply the mapping to ${name} records`} size="lg">
        <Stack gap="md">
          <Text size="sm">Conduit re-reads the records already imported from {name} and applies the current property mapping to them.</Text>
          <ForecastPanel {...forecastState} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemapOpen(false)}>
              Cancel
            </Button>
            <Button
              loading={remap.isPending}
              disabled={forecast.isPending}
              onClick={() =>
                remap.mutate(forecast.data?.kind === 'remap' ? forecast.data.id : undefined, {
                  onSuccess: (run) => {
                    done.watch(run.id);
                    setRemapOpen(false);
                    notifications.show({ color: 'teal', title: 'Re-applying the mapping', message: `${name} records already imported are re-evaluated.` });
                  },
                  onError: (e) => notifications.show({ color: 'red', title: 'Not started', message: e.message }),
                })
              }
            >
              Re-apply mapping
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

export function SyncSettingsPage() {
  const connections = useConnections();
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
      ) : connections.isPending ? (
        <Loader />
      ) : connected.length === 0 ? (
        <Text c="dimmed">
          No CRM connected. <Anchor component={Link} to="/settings/integrations">Connect one</Anchor> to import its records.
        </Text>
      ) : (
        <Stack gap="lg">
          {connected.map((c) => (c.id ? <ConnectionSync key={c.crm} crm={c.crm} connectionId={c.id} /> : null))}
        </Stack>
      )}
    </>
  );
}
