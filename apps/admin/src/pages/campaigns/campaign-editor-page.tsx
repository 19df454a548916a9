import { CAMPAIGN_STATUSES, type CampaignDto, type CampaignStatus, type CrmListDto } from '@conduit/contracts';
import { Alert, Anchor, Breadcrumbs, Button, Card, Grid, Group, MultiSelect, SegmentedControl, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useCampaign, useCreateCampaign, useDeleteCampaign, useUpdateCampaign } from '../../api/campaigns';
import { isApiError } from '../../api/client';
import { useCrmLists } from '../../api/lists';
import { useConfirmDelete } from '../../components/confirm-delete';
import { ErrorState } from '../../components/error-state';
import { describeSubmitError } from '../../lib/form-errors';
import { ListPill, listOptionLabel, listTitle } from '../lists/list-labels';
import { STATUS_LABELS } from './campaign-labels';
import { PeoplePicker } from './people-picker';
import { RecipientsPreview } from './recipients-preview';

const FIELDS = ['name', 'status', 'audienceListIds', 'audiencePersonIds', 'suppressionListIds'] as const;

interface FormValues {
  name: string;
  status: CampaignStatus;
  audienceListIds: string[];
  audiencePersonIds: string[];
  suppressionListIds: string[];
}

const fromCampaign = (c: CampaignDto | undefined): FormValues => ({
  name: c?.name ?? '',
  status: c?.status ?? 'draft',
  audienceListIds: c?.audiences.flatMap((a) => (a.kind === 'crm_list' && a.list ? [a.list.id] : [])) ?? [],
  audiencePersonIds: c?.audiences.flatMap((a) => (a.kind === 'people' && a.personId ? [a.personId] : [])) ?? [],
  suppressionListIds: c?.suppressions.filter((s) => s.campaignId !== null).map((s) => s.list.id) ?? [],
});

/** Picker options: every list the catalog has, plus lists the campaign uses that the catalog no longer shows. */
function listOptions(lists: CrmListDto[] | undefined, campaign: CampaignDto | undefined) {
  const options = new Map<string, string>();
  for (const l of lists ?? []) options.set(l.id, listOptionLabel(l));
  for (const a of campaign?.audiences ?? []) if (a.list && !options.has(a.list.id)) options.set(a.list.id, listOptionLabel({ ...a.list, size: null }));
  for (const s of campaign?.suppressions ?? []) if (!options.has(s.list.id)) options.set(s.list.id, listOptionLabel({ ...s.list, size: null }));
  return [...options].map(([value, label]) => ({ value, label }));
}

/**
 * Lists this campaign uses that Conduit can no longer read: deleted in the CRM (for a Salesforce list view, also one
 * no longer shared with the connected user) or unreadable, each with the CRM's reason. Nobody leaves the campaign
 * silently: it keeps each list's last members until the list is removed here or can be read again.
 */
function UnavailableListsAlert({ campaign }: { campaign: CampaignDto }) {
  if (campaign.unavailableLists.length === 0) return null;
  const refs = [...campaign.audiences.flatMap((a) => (a.list ? [a.list] : [])), ...campaign.suppressions.map((s) => s.list)];
  const deletedOnly = campaign.unavailableLists.every((l) => l.state === 'deleted');
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={deletedOnly ? 'A list of this campaign was deleted in the CRM' : 'A list of this campaign can no longer be read'}
      data-testid="deleted-lists-alert"
    >
      <Stack gap={6}>
        {campaign.unavailableLists.map((d) => {
          const list = refs.find((l) => l.id === d.id);
          const count = list ? `${list.memberCount.toLocaleString('en')} ` : '';
          return (
            <Text size="sm" key={d.id} data-testid={`unavailable-list-${d.id}`}>
              <b>{listTitle(d)}</b>: {d.reason} The campaign keeps its last known {count}members
              {d.state === 'unreadable' ? ' until the list can be read again or you remove it here.' : ' until you remove the list here.'}
            </Text>
          );
        })}
      </Stack>
    </Alert>
  );
}

function CampaignForm({ campaign }: { campaign?: CampaignDto }) {
  const navigate = useNavigate();
  const lists = useCrmLists();
  const create = useCreateCampaign();
  const update = useUpdateCampaign();
  const remove = useConfirmDelete({
    mutation: useDeleteCampaign(),
    variables: (c: CampaignDto) => c.id,
    title: 'Delete campaign',
    message: (c) => <>Delete &ldquo;{c.name}&rdquo;? Its lists stay in the CRM and in Conduit.</>,
    onDone: () => void navigate('/campaigns', { replace: true }),
  });
  const [values, setValues] = useState<FormValues>(() => fromCampaign(campaign));
  const save = campaign ? update : create;
  const failure = save.error ? describeSubmitError(save.error, FIELDS) : null;
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const options = listOptions(lists.data, campaign);
  const used = new Set([...values.audienceListIds, ...values.suppressionListIds]);
  const usedLists = (lists.data ?? []).filter((l) => used.has(l.id));
  const syncing = usedLists.some((l) => l.syncStatus === 'pending' || l.syncStatus === 'running');
  const synced = usedLists.map((l) => l.lastSyncedAt).filter((at): at is string => at !== null).sort();
  const listsState = { count: usedLists.length, lastSyncedAt: synced.at(-1) ?? null };

  const submit = () => {
    const body = { ...values, name: values.name.trim() };
    if (campaign)
      update.mutate(
        { id: campaign.id, body },
        { onSuccess: () => notifications.show({ color: 'teal', message: 'Campaign saved' }) },
      );
    else create.mutate(body, { onSuccess: (created) => void navigate(`/campaigns/${created.id}`, { replace: true }) });
  };

  return (
    <Stack gap="lg">
      {campaign && <UnavailableListsAlert campaign={campaign} />}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, xl: 5 }}>
          <Card padding="lg">
            <form
              onSubmit={(e) => {
                e.preventDefault();
                submit();
              }}
            >
              <Stack>
                <TextInput label="Name" withAsterisk value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={failure?.fieldErrors['name']} />
                <Stack gap={4}>
                  <Text size="sm" fw={500}>
                    Status
                  </Text>
                  <SegmentedControl
                    aria-label="Status"
                    value={values.status}
                    onChange={(v) => set('status', v)}
                    data={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
                  />
                  {failure?.fieldErrors['status'] && (
                    <Text size="xs" c="red">
                      {failure.fieldErrors['status']}
                    </Text>
                  )}
                </Stack>
                {lists.error && <ErrorState error={lists.error} title="Could not load CRM lists" onRetry={() => void lists.refetch()} />}
                <MultiSelect
                  renderPill={ListPill}
                  label="Audience lists"
                  description="Members of these CRM lists are the audience"
                  placeholder={lists.isPending ? 'Loading lists…' : options.length ? 'Pick CRM lists' : 'No CRM lists: connect a CRM first'}
                  data={options}
                  value={values.audienceListIds}
                  onChange={(ids) => set('audienceListIds', ids)}
                  searchable
                  clearable
                  nothingFoundMessage="No list matches"
                  error={failure?.fieldErrors['audienceListIds']}
                />
                <PeoplePicker value={values.audiencePersonIds} onChange={(ids) => set('audiencePersonIds', ids)} error={failure?.fieldErrors['audiencePersonIds']} />
                <MultiSelect
                  renderPill={ListPill}
                  label="Suppression lists"
                  description="Members of these lists are never sent to (workspace-wide suppression lists apply too)"
                  placeholder="Pick lists to leave out"
                  data={options}
                  value={values.suppressionListIds}
                  onChange={(ids) => set('suppressionListIds', ids)}
                  searchable
                  clearable
                  nothingFoundMessage="No list matches"
                  error={failure?.fieldErrors['suppressionListIds']}
                />
                {failure?.summary && (
                  <Alert color="red" variant="light" role="alert">
                    {failure.summary}
                  </Alert>
                )}
                <Group justify="space-between">
                  {campaign ? (
                    <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => remove.ask(campaign)}>
                      Delete
                    </Button>
                  ) : (
                    <span />
                  )}
                  <Group gap="sm">
                    <Button variant="default" component={Link} to="/campaigns">
                      {campaign ? 'Back' : 'Cancel'}
                    </Button>
                    <Button type="submit" loading={save.isPending}>
                      {campaign ? 'Save campaign' : 'Create campaign'}
                    </Button>
                  </Group>
                </Group>
              </Stack>
            </form>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, xl: 7 }}>
          {campaign ? (
            <RecipientsPreview campaignId={campaign.id} syncing={syncing} lists={listsState} />
          ) : (
            <Card padding="lg">
              <Text fw={600}>Recipients preview</Text>
              <Text size="sm" c="dimmed">
                Create the campaign to see its audience, who is excluded and why, and the final recipients.
              </Text>
            </Card>
          )}
        </Grid.Col>
      </Grid>
      {remove.modal}
    </Stack>
  );
}

/** /campaigns/new and /campaigns/:id: the campaign's settings and its recipients preview. */
export function CampaignEditorPage() {
  const { id } = useParams();
  const isNew = id === undefined || id === 'new';
  const campaign = useCampaign(isNew ? null : id);
  const notFound = isApiError(campaign.error) && (campaign.error.status === 404 || campaign.error.status === 400);

  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/campaigns" size="sm">
          Campaigns
        </Anchor>
        <Text size="sm" c="dimmed">
          {isNew ? 'New campaign' : (campaign.data?.name ?? 'Campaign')}
        </Text>
      </Breadcrumbs>
      <Title order={2}>{isNew ? 'New campaign' : (campaign.data?.name ?? ' ')}</Title>
      {isNew ? (
        <CampaignForm />
      ) : campaign.isPending ? (
        <Card padding="lg">
          <Skeleton h={16} w="40%" mb="sm" />
          <Skeleton h={36} mb="sm" />
          <Skeleton h={36} />
        </Card>
      ) : notFound ? (
        <Card padding="lg">
          <Text fw={600}>Campaign not found</Text>
          <Text size="sm" c="dimmed">
            It may have been deleted. <Anchor component={Link} to="/campaigns">Back to campaigns</Anchor>
          </Text>
        </Card>
      ) : campaign.isError ? (
        <ErrorState error={campaign.error} title="Could not load this campaign" onRetry={() => void campaign.refetch()} />
      ) : (
        <CampaignForm key={campaign.data.id} campaign={campaign.data} />
      )}
    </Stack>
  );
}
