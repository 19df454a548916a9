import type { CampaignDto } from '@conduit/contracts';
import { Alert, Anchor, Badge, Button, Card, Group, MultiSelect, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useCampaigns, useSetWorkspaceSuppressions, useWorkspaceSuppressions } from '../../api/campaigns';
import { useCrmLists } from '../../api/lists';
import { DataTable, dateColumn, type DataTableColumn } from '../../components/data-table';
import { ErrorState } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { describeSubmitError } from '../../lib/form-errors';
import { ListPill, listOptionLabel } from '../lists/list-labels';
import { STATUS_COLORS, STATUS_LABELS } from './campaign-labels';

function audienceSummary(c: CampaignDto): string {
  const lists = c.audiences.filter((a) => a.kind === 'crm_list').length;
  const people = c.audiences.filter((a) => a.kind === 'people').length;
  const parts = [lists ? `${lists} list${lists === 1 ? '' : 's'}` : null, people ? `${people} hand-picked` : null].filter(Boolean);
  return parts.length ? parts.join(' + ') : 'No audience yet';
}

/** Suppression lists that apply to every campaign of the workspace. */
function WorkspaceSuppressions() {
  const current = useWorkspaceSuppressions();
  const lists = useCrmLists();
  const save = useSetWorkspaceSuppressions();
  const [value, setValue] = useState<string[] | null>(null);
  useEffect(() => {
    if (current.data && value === null) setValue(current.data.map((s) => s.list.id));
  }, [current.data, value]);
  const failure = save.error ? describeSubmitError(save.error, ['listIds']) : null;
  const options = new Map<string, string>();
  for (const l of lists.data ?? []) options.set(l.id, listOptionLabel(l));
  for (const s of current.data ?? []) if (!options.has(s.list.id)) options.set(s.list.id, listOptionLabel({ ...s.list, size: null }));
  const saved = (current.data ?? []).map((s) => s.list.id).sort().join(',');
  const dirty = value !== null && [...value].sort().join(',') !== saved;

  return (
    <Card padding="lg" mt="lg">
      <Text fw={600}>Workspace suppression lists</Text>
      <Text size="sm" c="dimmed" mb="sm">
        Members of these lists are left out of every campaign, e.g. customers or competitors.
      </Text>
      {current.error ? (
        <ErrorState error={current.error} title="Could not load workspace suppression lists" onRetry={() => void current.refetch()} />
      ) : (
        <Group align="flex-end" gap="sm">
          <MultiSelect
            renderPill={ListPill}
            aria-label="Workspace suppression lists"
            style={{ flex: 1 }}
            placeholder={current.isPending || lists.isPending ? 'Loading…' : 'Pick lists suppressed in every campaign'}
            data={[...options].map(([v, label]) => ({ value: v, label }))}
            value={value ?? []}
            onChange={setValue}
            searchable
            clearable
            error={failure?.fieldErrors['listIds'] ?? failure?.summary}
          />
          <Button
            disabled={!dirty}
            loading={save.isPending}
            onClick={() => value && save.mutate(value, { onSuccess: () => notifications.show({ color: 'teal', message: 'Workspace suppression lists saved' }) })}
          >
            Save
          </Button>
        </Group>
      )}
    </Card>
  );
}

const CAMPAIGN_COLUMNS: DataTableColumn<CampaignDto>[] = [
  {
    key: 'name',
    header: 'Name',
    cell: (c) => (
      <Group gap="xs">
        <Anchor component={Link} to={`/campaigns/${c.id}`} size="sm" fw={500}>
          {c.name}
        </Anchor>
        {c.unavailableLists.length > 0 && (
          <Badge color="red" variant="light" radius="sm" tt="none" leftSection={<IconAlertTriangle size={12} />}>
            {c.unavailableLists.every((l) => l.state === 'deleted') ? 'List deleted in CRM' : 'List unreadable in CRM'}
          </Badge>
        )}
      </Group>
    ),
  },
  {
    key: 'status',
    header: 'Status',
    cell: (c) => (
      <Badge variant="light" color={STATUS_COLORS[c.status]} radius="sm">
        {STATUS_LABELS[c.status]}
      </Badge>
    ),
  },
  { key: 'audience', header: 'Audience', cell: (c) => <Text size="sm">{audienceSummary(c)}</Text> },
  {
    key: 'suppressions',
    header: 'Suppression lists',
    cell: (c) => <Text size="sm">{c.suppressions.filter((s) => s.campaignId !== null).map((s) => s.list.name).join(', ') || '—'}</Text>,
  },
  dateColumn('updated', 'Updated', (c) => c.updatedAt, { time: true }),
];

export function CampaignsPage() {
  const campaigns = useCampaigns();
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Audiences from your CRM lists and hand-picked people, minus suppression lists and do-not-contact people."
        actions={
          <Button component={Link} to="/campaigns/new" leftSection={<IconPlus size={16} />}>
            New campaign
          </Button>
        }
      />
      <Card padding={0}>
        <DataTable
          label="Campaigns"
          columns={CAMPAIGN_COLUMNS}
          rows={campaigns.data}
          rowKey={(c) => c.id}
          rowProps={() => ({ 'data-testid': 'campaign-row' })}
          busy={campaigns.isFetching}
          error={campaigns.error}
          errorTitle="Could not load campaigns"
          onRetry={() => void campaigns.refetch()}
          empty={{ title: 'No campaigns yet', description: 'Create one and pick a HubSpot list, Salesforce Campaign or list view as its audience.', testId: 'campaigns-empty' }}
          minWidth={720}
          skeletonRows={3}
        />
      </Card>
      <WorkspaceSuppressions />
      {campaigns.data?.some((c) => c.unavailableLists.length > 0) && (
        <Alert mt="lg" color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
          Some campaigns use a list that was deleted in the CRM or can no longer be read. They keep its last known members until you remove it.
        </Alert>
      )}
    </>
  );
}
