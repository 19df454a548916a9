import type { CrmKind, PeopleQuery } from '@conduit/contracts';
import { Button, Group, Menu, Modal, Progress, Stack, Text } from '@mantine/core';
import { IconCloudUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { useForecast } from '../../api/api-budget';
import { useConnections } from '../../api/connections';
import { useExportRun, useStartExport } from '../../api/export';
import { ForecastPanel } from '../settings/api-budget/forecast-panel';
import { ForecastVsActual } from '../settings/api-budget/forecast-vs-actual';
import { RunSlowdown } from '../sync/run-slowdown';
import { CRM_LABEL, usePushFlow } from './use-push-person';

const REASONS: Record<string, string> = { below_policy: 'below the export policy', no_email_or_name: 'no email or name', not_found: 'not found' };

/**
 * "Export to CRM" for the prospects the current filters show: follows the connection's export policy (who has been
 * contacted / replied), runs as a job, and shows its progress and how many were skipped and why.
 */
export function BulkExportMenu({ filter }: { filter: Pick<PeopleQuery, 'search' | 'engagementState' | 'leadStatus'> }) {
  const { connected } = usePushFlow();
  const connections = useConnections();
  const start = useStartExport();
  const forecast = useForecast();
  const [runId, setRunId] = useState<string | null>(null);
  const [crm, setCrm] = useState<CrmKind | null>(null);
  const run = useExportRun(runId);
  const crms = (['hubspot', 'salesforce'] as const).filter((c) => connected(c));
  if (crms.length === 0) return null;
  const body = { filter: { ...(filter.search ? { search: filter.search } : {}), ...(filter.engagementState ? { engagementState: filter.engagementState } : {}), ...(filter.leadStatus ? { leadStatus: filter.leadStatus } : {}) } };
  // First the forecast (who the policy lets through, calls, time), then the export once the admin confirms.
  const confirm = (target: CrmKind) => {
    setCrm(target);
    setRunId(null);
    start.reset();
    const connectionId = connections.data?.find((c) => c.crm === target)?.id;
    if (connectionId) forecast.mutate({ connectionId, body: { kind: 'bulk-export', export: body } });
  };
  const begin = (target: CrmKind) =>
    start.mutate({ crm: target, body: { ...body, ...(forecast.data?.kind === 'bulk-export' ? { forecastId: forecast.data.id } : {}) } }, { onSuccess: (r) => setRunId(r.id) });
  const close = () => {
    setRunId(null);
    setCrm(null);
    start.reset();
    forecast.reset();
  };
  const r = run.data;
  const percent = r && r.total > 0 ? Math.round((r.processed / r.total) * 100) : r?.status === 'done' ? 100 : 0;
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" leftSection={<IconCloudUpload size={16} />} loading={start.isPending}>
            Export to CRM
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Prospects shown, per the export policy</Menu.Label>
          {crms.map((c) => (
            <Menu.Item key={c} onClick={() => confirm(c)}>
              Export to {CRM_LABEL[c]}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={crm !== null} onClose={close} title={crm ? `Export to ${CRM_LABEL[crm]}` : 'Export'} size="lg">
        {start.isError ? (
          <Text c="red">{isApiError(start.error) ? start.error.message : 'The export could not start'}</Text>
        ) : runId === null && crm ? (
          <Stack gap="md" data-testid="bulk-export-confirm">
            <Text size="sm">The prospects the current filters show are exported to {CRM_LABEL[crm]} if the export policy lets them through.</Text>
            <ForecastPanel forecast={forecast.data} pending={forecast.isPending} error={forecast.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button loading={start.isPending} disabled={forecast.isPending || forecast.data?.records === 0} onClick={() => begin(crm)}>
                {forecast.data ? `Export ${forecast.data.records.toLocaleString('en')} ${forecast.data.records === 1 ? 'prospect' : 'prospects'}` : 'Start export'}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Stack gap="sm">
            <Progress value={percent} animated={r?.status !== 'done'} aria-label="Export progress" />
            <Text size="sm">
              {r ? `${r.processed} of ${r.total} exported${r.status === 'done' ? '' : '…'}` : 'Starting…'}
            </Text>
            {r && (
              <Group gap="md">
                <Text size="sm">Created {r.created}</Text>
                <Text size="sm">Updated {r.updated}</Text>
                <Text size="sm">Unchanged {r.unchanged}</Text>
                <Text size="sm" c={r.needsAttention ? 'orange' : undefined}>
                  Needs attention {r.needsAttention}
                </Text>
              </Group>
            )}
            {r && r.skipped > 0 && (
              <Text size="sm" c="dimmed">
                Skipped {r.skipped}:{' '}
                {Object.entries(r.skippedReasons)
                  .map(([reason, n]) => `${n} ${REASONS[reason] ?? reason}`)
                  .join(', ')}
              </Text>
            )}
            {r?.status === 'failed' && <Text c="red">The export failed: {r.error}</Text>}
            {r && r.status !== 'pending' && <RunSlowdown slowdown={r.slowdown} crm={r.crm} />}
            {r?.forecast && <ForecastVsActual data={r.forecast} open={r.status !== 'done' && r.status !== 'failed'} />}
          </Stack>
        )}
      </Modal>
    </>
  );
}
