import type { CrmKind, CrmListDto } from '@conduit/contracts';
import { ActionIcon, Anchor, Badge, Button, Card, Group, Modal, NumberInput, SegmentedControl, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconRefresh, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useForecast } from '../../api/api-budget';
import { useCrmLists, useSyncCrmList, useUpdateCrmList } from '../../api/lists';
import { ForecastPanel } from '../settings/api-budget/forecast-panel';
import { ForecastVsActualLine } from '../settings/api-budget/forecast-vs-actual';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { errorMessage } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { formatDateTime } from '../../lib/format';
import { describeSubmitError } from '../../lib/form-errors';
import { CRM_NAMES, KIND_LABELS, listSourceLabel, SyncStatusBadge, UnavailableBadge } from './list-labels';

type CrmFilter = 'all' | 'hubspot' | 'salesforce';

function WhereUsed({ list }: { list: CrmListDto }) {
  if (list.usedBy.length === 0)
    return (
      <Text size="sm" c="dimmed">
        Not used
      </Text>
    );
  return (
    <Stack gap={2}>
      {list.usedBy.map((u) =>
        u.campaignId ? (
          <Anchor key={`${u.campaignId}:${u.role}`} component={Link} to={`/campaigns/${u.campaignId}`} size="sm">
            {u.campaignName} <Text span size="xs" c="dimmed">({u.role})</Text>
          </Anchor>
        ) : (
          <Text key={`workspace:${u.role}`} size="sm">
            Every campaign <Text span size="xs" c="dimmed">(suppression)</Text>
          </Text>
        ),
      )}
    </Stack>
  );
}

function RefreshDialog({ list, onClose }: { list: CrmListDto; onClose: () => void }) {
  const update = useUpdateCrmList();
  const [minutes, setMinutes] = useState<number | string>(list.refreshMinutes);
  const failure = update.error ? describeSubmitError(update.error, ['refreshMinutes']) : null;
  return (
    <Modal opened onClose={onClose} title={`Refresh schedule: ${list.name}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ id: list.id, body: { refreshMinutes: Number(minutes) } }, { onSuccess: onClose });
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            While a campaign uses this dynamic list, Conduit re-reads its membership at least this often.
          </Text>
          <NumberInput label="Re-read every (minutes)" value={minutes} onChange={setMinutes} error={failure?.fieldErrors['refreshMinutes']} allowDecimal={false} />
          {failure?.summary && (
            <Text size="sm" c="red">
              {failure.summary}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function SyncNowButton({ list }: { list: CrmListDto }) {
  const sync = useSyncCrmList();
  const forecast = useForecast();
  const [confirming, setConfirming] = useState(false);
  const busy = list.syncStatus === 'pending' || list.syncStatus === 'running';
  return (
    <>
      <Button
        size="xs"
        variant="default"
        leftSection={<IconRefresh size={14} />}
        loading={sync.isPending}
        disabled={busy || list.deletedInCrmAt !== null}
        aria-label={`Sync ${list.name} now`}
        onClick={() => {
          setConfirming(true);
          forecast.mutate({ connectionId: list.connectionId, body: { kind: 'list-sync', listId: list.id } });
        }}
      >
        Sync now
      </Button>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={`Sync ${list.name} now`} size="lg">
        <Stack gap="md">
          <Text size="sm">Conduit re-reads the list's members from {CRM_NAMES[list.crm]} and imports the ones it does not hold yet.</Text>
          <ForecastPanel forecast={forecast.data} pending={forecast.isPending} error={forecast.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              loading={sync.isPending}
              disabled={forecast.isPending}
              onClick={() =>
                sync.mutate({ id: list.id, ...(forecast.data?.kind === 'list-sync' ? { forecastId: forecast.data.id } : {}) }, {
                  onSuccess: () => {
                    setConfirming(false);
                    notifications.show({ color: 'teal', message: `Syncing ${list.name}` });
                  },
                  onError: (e) => notifications.show({ color: 'red', title: 'Could not start the sync', message: errorMessage(e) }),
                })
              }
            >
              Sync now
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function listColumns(onEditSchedule: (list: CrmListDto) => void): DataTableColumn<CrmListDto>[] {
  return [
    {
      key: 'name',
      header: 'Name',
      cell: (list) => (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {list.name}
          </Text>
          <Text size="xs" c="dimmed">
            {listSourceLabel(list)}
          </Text>
          <UnavailableBadge list={list} />
        </Stack>
      ),
    },
    { key: 'crm', header: 'CRM', cell: (list) => <Text size="sm">{CRM_NAMES[list.crm]}</Text> },
    {
      key: 'kind',
      header: 'Type',
      cell: (list) => (
        <Badge variant="outline" color={list.kind === 'dynamic' ? 'grape' : 'gray'} radius="sm">
          {KIND_LABELS[list.kind]}
        </Badge>
      ),
    },
    {
      key: 'size',
      header: 'Size',
      align: 'right',
      cell: (list) => (
        <>
          <Text size="sm">{list.size?.toLocaleString('en') ?? '—'}</Text>
          <Text size="xs" c="dimmed">
            {list.memberCount.toLocaleString('en')} in Conduit
          </Text>
        </>
      ),
    },
    {
      key: 'synced',
      header: 'Last synced',
      cell: (list) => (
        <>
          <Group gap="xs" wrap="nowrap">
            <SyncStatusBadge list={list} />
            <Text size="xs" c="dimmed">
              {formatDateTime(list.lastSyncedAt)}
            </Text>
          </Group>
          {list.syncForecast && <ForecastVsActualLine data={list.syncForecast} />}
          {list.kind === 'dynamic' && (
            <Group gap={4} wrap="nowrap">
              <Text size="xs" c="dimmed">
                Every {list.refreshMinutes} min while in use
              </Text>
              <Tooltip label="Change refresh schedule">
                <ActionIcon size="xs" variant="subtle" color="gray" aria-label={`Change refresh schedule of ${list.name}`} onClick={() => onEditSchedule(list)}>
                  <IconPencil size={12} />
                </ActionIcon>
              </Tooltip>
            </Group>
          )}
        </>
      ),
    },
    { key: 'usedBy', header: 'Where used', cell: (list) => <WhereUsed list={list} /> },
    { key: 'actions', cell: (list) => <SyncNowButton list={list} /> },
  ];
}

/** Search, the CRM filter (left out when `crm` fixes it) and the lists table: the Lists page and a connection's Lists tab. */
export function CrmListsPanel({ crm: fixedCrm }: { crm?: CrmKind }) {
  const [search, setSearch] = useState('');
  const [chosenCrm, setCrm] = useState<CrmFilter>('all');
  const crm = fixedCrm ?? chosenCrm;
  const [debounced] = useDebouncedValue(search, 300);
  const lists = useCrmLists({ crm: crm === 'all' ? null : crm, search: debounced });
  const [editing, setEditing] = useState<CrmListDto | null>(null);
  const filtered = debounced.trim() !== '' || (!fixedCrm && crm !== 'all');

  return (
    <>
      <Group mb="md" gap="sm">
        <TextInput
          aria-label="Search lists"
          placeholder="Search by name"
          leftSection={<IconSearch size={16} />}
          w={280}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
        {!fixedCrm && (
          <SegmentedControl
            aria-label="CRM"
            value={chosenCrm}
            onChange={(v) => setCrm(v)}
            data={[
              { value: 'all', label: 'All CRMs' },
              { value: 'hubspot', label: 'HubSpot' },
              { value: 'salesforce', label: 'Salesforce' },
            ]}
          />
        )}
      </Group>
      <Card padding={0}>
        <DataTable
          label="CRM lists"
          columns={listColumns(setEditing).filter((c) => !fixedCrm || c.key !== 'crm')}
          rows={lists.data}
          rowKey={(l) => l.id}
          rowProps={(l) => ({ 'data-testid': `crm-list-${l.crmListId}`, 'data-list-name': l.name })}
          busy={lists.isFetching}
          error={lists.error}
          errorTitle="Could not load CRM lists"
          onRetry={() => void lists.refetch()}
          empty={{
            title: filtered ? 'No list matches' : 'No CRM lists yet',
            description: filtered ? 'Try another name or CRM.' : 'Connect HubSpot or Salesforce in Settings → Integrations; its lists, Campaigns and list views show up here.',
            testId: 'lists-empty',
          }}
          minWidth={fixedCrm ? 860 : 960}
        />
      </Card>
      {editing && <RefreshDialog list={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

/** CRM lists of the connected CRMs: HubSpot lists, Salesforce Campaigns and list views, usable as audiences and suppression lists. */
export function ListsPage() {
  return (
    <>
      <PageHeader
        title="Lists"
        description="HubSpot lists, Salesforce Campaigns and Salesforce list views on Leads and Contacts. Use them as campaign audiences or suppression lists; Conduit never changes them."
      />
      <CrmListsPanel />
    </>
  );
}
