import type { ExcludedRecipientDto, RecipientCountsDto, RecipientDto } from '@conduit/contracts';
import { Anchor, Badge, Button, Card, Group, SimpleGrid, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { notifications } from '@mantine/notifications';
import { useExcludedRecipients, useRecipientCounts, useRecipients, useRefreshCampaignLists } from '../../api/campaigns';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { ErrorState } from '../../components/error-state';
import { formatDateTime, personName } from '../../lib/format';
import { REASON_COLORS, reasonText } from './campaign-labels';

const COUNT_CARDS: { key: keyof RecipientCountsDto; label: string; hint: string }[] = [
  { key: 'audience', label: 'Audience', hint: 'Distinct people in the audience lists and hand-picked' },
  { key: 'suppressed', label: 'Suppressed', hint: 'On a suppression list of this campaign or of every campaign' },
  { key: 'dnc', label: 'Do not contact', hint: 'Open deal, customer company or a do-not-contact domain' },
  { key: 'consent', label: 'Opted out', hint: 'Unsubscribed, bounced or do not call in a CRM or the outbound engine, for this campaign\'s channel' },
  { key: 'final', label: 'Recipients', hint: 'What the outbound engine gets' },
];

function PersonCell({ person }: { person: RecipientDto }) {
  return (
    <Anchor component={Link} to={`/prospects/${person.personId}`} size="sm">
      {personName(person)}
    </Anchor>
  );
}

const personColumn: DataTableColumn<RecipientDto> = { key: 'person', header: 'Person', cell: (person) => <PersonCell person={person} /> };
const emailColumn: DataTableColumn<RecipientDto> = { key: 'email', header: 'Email', cell: (person) => person.email ?? '—' };

const RECIPIENT_COLUMNS: DataTableColumn<RecipientDto>[] = [personColumn, emailColumn, { key: 'company', header: 'Company', cell: (r) => r.companyName ?? '—' }];

const EXCLUDED_COLUMNS: DataTableColumn<ExcludedRecipientDto>[] = [
  personColumn,
  emailColumn,
  {
    key: 'reasons',
    header: 'Why excluded',
    cell: (person) => (
      <Group gap={4}>
        {person.reasons.map((r) => (
          <Badge
            key={`${r.reason}:${r.detail ?? ''}:${r.crm ?? ''}`}
            title={r.detail ?? undefined}
            variant="light"
            color={REASON_COLORS[r.reason]}
            radius="sm"
            tt="none"
            h="auto"
            py={2}
            styles={{ label: { whiteSpace: 'normal', overflow: 'visible' } }}
            data-reason={r.reason}
          >
            {reasonText(r)}
          </Badge>
        ))}
      </Group>
    ),
  },
];

const paging = ({ page, pageSize, setPage, setPageSize }: PagingProps, total: number | undefined, noun: string) =>
  total === undefined ? undefined : { page, pageSize, total, noun, onPage: setPage, onPageSize: setPageSize };

function RecipientsTable(props: PagingProps) {
  const recipients = useRecipients(props.campaignId, props.page, props.pageSize);
  return (
    <DataTable
      label="Recipients"
      columns={RECIPIENT_COLUMNS}
      rows={recipients.data?.items}
      rowKey={(r) => r.personId}
      busy={recipients.isFetching}
      error={recipients.error}
      errorTitle="Could not load recipients"
      onRetry={() => void recipients.refetch()}
      empty={{ title: 'Nobody to send to yet', description: 'Add an audience, or everyone in it is excluded.', testId: 'recipients-empty' }}
      minWidth={640}
      verticalSpacing="xs"
      skeletonRows={4}
      pagination={paging(props, recipients.data?.total, 'recipients')}
    />
  );
}

function ExcludedTable(props: PagingProps) {
  const excluded = useExcludedRecipients(props.campaignId, props.page, props.pageSize);
  return (
    <DataTable
      label="Excluded people"
      columns={EXCLUDED_COLUMNS}
      rows={excluded.data?.items}
      rowKey={(p) => p.personId}
      rowProps={(p) => ({ 'data-testid': 'excluded-row', 'data-email': p.email ?? '' })}
      busy={excluded.isFetching}
      error={excluded.error}
      errorTitle="Could not load excluded people"
      onRetry={() => void excluded.refetch()}
      empty={{ title: 'Nobody in the audience is excluded.', testId: 'excluded-empty' }}
      // The preview sits in a half-width card: the reasons wrap inside it rather than scroll out of sight.
      minWidth={480}
      verticalSpacing="xs"
      skeletonRows={4}
      pagination={paging(props, excluded.data?.total, 'excluded people')}
    />
  );
}

interface PagingProps {
  campaignId: string;
  page: number;
  pageSize: number;
  setPage: (page: number) => void;
  setPageSize: (size: number) => void;
}

function usePaging() {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSizeState] = useState(25);
  return { page, pageSize, setPage, setPageSize: (size: number) => (setPageSizeState(size), setPage(1)) };
}

/** The CRM lists a campaign reads: how many, and when the latest of their syncs finished. */
export interface CampaignListsState {
  count: number;
  lastSyncedAt: string | null;
}

/** "Refreshing 2 CRM lists…" / "CRM lists refreshed Dec 6, 2026, 8:30 PM" / nothing without lists. */
export function listsStatus(lists: CampaignListsState, syncing: boolean): string | null {
  if (lists.count === 0) return null;
  const noun = lists.count === 1 ? 'CRM list' : 'CRM lists';
  if (syncing) return `Refreshing ${lists.count} ${noun}…`;
  return lists.lastSyncedAt ? `${noun} refreshed ${formatDateTime(lists.lastSyncedAt)}` : `${noun} not synced yet`;
}

/**
 * Counts (audience, suppressed, do not contact, final), the recipients and the excluded people with every reason,
 * as the outbound engine would get them. `syncing`: a list of the campaign is being read, so the figures move.
 */
export function RecipientsPreview({ campaignId, syncing, lists }: { campaignId: string; syncing: boolean; lists: CampaignListsState }) {
  const counts = useRecipientCounts(campaignId, syncing);
  const refreshLists = useRefreshCampaignLists(campaignId);
  const refresh = () => {
    void counts.refetch();
    if (lists.count === 0) return;
    refreshLists.mutate(undefined, {
      onSuccess: (r) => {
        if (r.skipped.length) notifications.show({ color: 'yellow', title: 'Some lists were not refreshed', message: r.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ') });
      },
      onError: (e) => notifications.show({ color: 'red', title: 'Lists not refreshed', message: e.message }),
    });
  };
  // The last poll may predate the end of the sync: read the figures once more when it ends.
  const { refetch } = counts;
  const wasSyncing = useRef(syncing);
  useEffect(() => {
    if (wasSyncing.current && !syncing) void refetch();
    wasSyncing.current = syncing;
  }, [syncing, refetch]);
  const [tab, setTab] = useState<string | null>('recipients');
  const recipientsPaging = usePaging();
  const excludedPaging = usePaging();
  const excludedCount = counts.data ? counts.data.suppressed + counts.data.dnc + counts.data.consent : null;

  return (
    <Card padding="lg" data-testid="recipients-preview">
      <Group justify="space-between" mb="md">
        <Stack gap={0}>
          <Text fw={600}>Recipients preview</Text>
          <Text size="xs" c="dimmed">
            {syncing ? 'A list of this campaign is syncing: the figures update as members arrive.' : 'Audience minus suppressed minus do-not-contact.'}
          </Text>
          <Text size="xs" c={syncing ? 'blue' : 'dimmed'} data-testid="lists-refresh-status">
            {listsStatus(lists, syncing)}
          </Text>
        </Stack>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconRefresh size={14} />}
          loading={counts.isFetching || refreshLists.isPending || syncing}
          onClick={refresh}
          title={lists.count ? 'Re-reads the members of the campaign\'s CRM lists, then the figures' : 'Recomputes the figures'}
        >
          Refresh
        </Button>
      </Group>
      {counts.error ? (
        <ErrorState error={counts.error} title="Could not compute the recipients" onRetry={() => void counts.refetch()} />
      ) : (
        <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
          {COUNT_CARDS.map((c) => (
            <Card key={c.key} withBorder padding="sm" title={c.hint}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {c.label}
              </Text>
              {counts.data ? (
                <Text size="xl" fw={700} data-testid={`count-${c.key}`}>
                  {counts.data[c.key].toLocaleString('en')}
                </Text>
              ) : (
                <Skeleton h={28} w="50%" mt={4} />
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="recipients">Recipients{counts.data ? ` (${counts.data.final.toLocaleString('en')})` : ''}</Tabs.Tab>
          <Tabs.Tab value="excluded">Excluded{excludedCount !== null ? ` (${excludedCount.toLocaleString('en')})` : ''}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="recipients" pt="sm">
          <RecipientsTable campaignId={campaignId} {...recipientsPaging} />
        </Tabs.Panel>
        <Tabs.Panel value="excluded" pt="sm">
          <ExcludedTable campaignId={campaignId} {...excludedPaging} />
        </Tabs.Panel>
      </Tabs>
    </Card>
  );
}
