import { ADVANCED_STATUSES, ENGAGEMENT_STATES, type CrmKind, type EngagementState, type ExportPolicy, type SalesforceExportObject, type WhenLeadExists } from '@conduit/contracts';
import { Alert, Badge, Button, Group, Radio, Select, Stack, Switch, Table, Tabs, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import {
  useExportSettings,
  useOwnerMapping,
  useSaveExportSettings,
  useSaveOwnerMapping,
  useSaveStatusMapping,
  useStatusMapping,
} from '../../api/export';
import { useTeam } from '../../api/team';
import { ENGAGEMENT_LABELS } from '../../lib/format';
import { ContactSourcePicker } from './contact-source-picker';

const POLICIES: { value: ExportPolicy; label: string }[] = [
  { value: 'all_contacted', label: 'All people contacted' },
  { value: 'replied', label: 'Only people who replied' },
  { value: 'replied_positive', label: 'Only people who replied positively' },
];

const SALESFORCE_OBJECTS: { value: SalesforceExportObject; label: string; description: string }[] = [
  { value: 'lead', label: 'Leads', description: 'Each prospect becomes a Lead (Company filled from their company).' },
  { value: 'contact', label: 'Contacts under an Account', description: "Each prospect becomes a Contact under their company's Account: the linked Account, else one with the company's website, else one with its exact name — created from the Companies mapping when there is none." },
];

const WHEN_LEAD_EXISTS: { value: WhenLeadExists; label: string }[] = [
  { value: 'update_lead', label: 'Update the Lead' },
  { value: 'create_contact', label: 'Create the Contact and leave the Lead as it is' },
];

/** Each export setting saves as it changes: say so, the way the other settings do. */
const saved = (message: string) => ({ onSuccess: () => notifications.show({ color: 'teal', title: 'Saved', message }) });

const errorText = (e: unknown) => (isApiError(e) ? e.message : e instanceof Error ? e.message : null);

function BasicSync({ crm }: { crm: CrmKind }) {
  const settings = useExportSettings(crm);
  const save = useSaveExportSettings(crm);
  if (!settings.data) return <Text c="dimmed">Loading…</Text>;
  return (
    <Stack gap="md">
      <Select
        label="Choose when people export"
        data={POLICIES}
        value={settings.data.policy}
        allowDeselect={false}
        onChange={(policy) => policy && save.mutate({ policy }, saved(`Export policy: ${POLICIES.find((p) => p.value === policy)?.label ?? policy}`))}
      />
      {crm === 'salesforce' && <SalesforceObject />}
      <Switch label="Export automatically when a person reaches this level" checked={settings.data.autoExport} onChange={(e) => {
          const on = e.currentTarget.checked;
          save.mutate({ autoExport: on }, saved(on ? 'People export automatically once they reach this level' : 'Automatic export turned off'));
        }}
      />
      <ContactSourcePicker crm={crm} />
      {save.error ? <Alert color="red">{errorText(save.error)}</Alert> : null}
    </Stack>
  );
}

/** Salesforce: what prospects are created as, and what happens when one is already a Lead. */
function SalesforceObject() {
  const settings = useExportSettings('salesforce');
  const save = useSaveExportSettings('salesforce');
  const queryClient = useQueryClient();
  if (!settings.data) return null;
  const object = settings.data.salesforceObject ?? 'lead';
  const choose = (value: string) => {
    const next = SALESFORCE_OBJECTS.find((o) => o.value === value);
    if (!next || next.value === object) return;
    save.mutate(
      { salesforceObject: next.value },
      {
        ...saved(`Prospects are created in Salesforce as ${next.label.toLowerCase()}`),
        // Status mapping offers the fields of the object people are written to.
        onSettled: () => void queryClient.invalidateQueries({ queryKey: ['connections', 'salesforce', 'export', 'status'] }),
      },
    );
  };
  return (
    <Stack gap="xs">
      <Radio.Group label="Create prospects in Salesforce as" value={object} onChange={choose}>
        <Stack gap={6} mt={4}>
          {SALESFORCE_OBJECTS.map((o) => (
            <Radio key={o.value} value={o.value} label={o.label} description={o.description} />
          ))}
        </Stack>
      </Radio.Group>
      {object === 'contact' && (
        <Select
          label="When the prospect is already a Lead with the same email"
          data={WHEN_LEAD_EXISTS}
          value={settings.data.whenLeadExists ?? 'update_lead'}
          allowDeselect={false}
          onChange={(v) => {
            const choice = WHEN_LEAD_EXISTS.find((w) => w.value === v);
            if (choice) save.mutate({ whenLeadExists: choice.value }, saved(`When a prospect is already a Lead: ${choice.label.toLowerCase()}`));
          }}
        />
      )}
    </Stack>
  );
}

function OwnerMapping({ crm }: { crm: CrmKind }) {
  const owners = useOwnerMapping(crm, true);
  const team = useTeam();
  const save = useSaveOwnerMapping(crm);
  if (owners.error) return <Alert color="red">{errorText(owners.error)}</Alert>;
  if (!owners.data || !team.data) return <Text c="dimmed">Loading CRM owners…</Text>;
  const data = owners.data;
  const members = team.data.map((m) => ({ value: m.id, label: `${m.name} (${m.email})` }));
  const setOverride = (crmOwnerId: string, memberId: string | null) => {
    const rest = data.overrides.filter((o) => o.crmOwnerId !== crmOwnerId && o.memberId !== memberId);
    save.mutate({ overrides: memberId ? [...rest, { crmOwnerId, memberId }] : rest, defaultOwnerId: data.defaultOwnerId }, saved('Owner mapping saved'));
  };
  return (
    <Stack gap="md">
      <Select
        label="Fallback owner (records whose team member has no CRM owner)"
        clearable
        data={data.owners.filter((o) => o.active).map((o) => ({ value: o.id, label: o.name }))}
        value={data.defaultOwnerId}
        onChange={(defaultOwnerId) =>
          save.mutate(
            { overrides: data.overrides, defaultOwnerId },
            saved(defaultOwnerId ? `Fallback owner: ${data.owners.find((o) => o.id === defaultOwnerId)?.name ?? defaultOwnerId}` : 'Fallback owner cleared'),
          )
        }
      />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>CRM owner</Table.Th>
            <Table.Th>Team member</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.owners.map((o) => (
            <Table.Tr key={o.id}>
              <Table.Td>
                <Text size="sm">{o.name}</Text>
                <Text size="xs" c="dimmed">
                  {o.email ?? '—'} {o.active ? '' : '· inactive'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Select size="xs" clearable placeholder="Not mapped" data={members} value={o.memberId} onChange={(m) => setOverride(o.id, m)} aria-label={`Team member for ${o.name}`} />
                  {o.via === 'email' && <Badge variant="light">auto-matched</Badge>}
                  {data.unmappedOwnerIds.includes(o.id) && <Badge color="orange" variant="light">unmapped</Badge>}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {save.error ? <Alert color="red">{errorText(save.error)}</Alert> : null}
    </Stack>
  );
}

const ADVANCED_KEYS = new Set<string>(ADVANCED_STATUSES.map((a) => a.status));
const advancedOf = (parent: EngagementState) => ADVANCED_STATUSES.filter((a) => a.parent === parent);

function StatusMapping({ crm }: { crm: CrmKind }) {
  const status = useStatusMapping(crm, true);
  const save = useSaveStatusMapping(crm);
  const [table, setTable] = useState<Record<string, string>>({});
  const [field, setField] = useState<string | null>(null);
  // "Show advanced statuses": on from the start when the saved mapping already gives one its own value.
  const [advanced, setAdvanced] = useState<boolean | null>(null);
  useEffect(() => {
    const d = status.data;
    if (d) {
      setTable(d.table);
      setField(d.crmField);
      setAdvanced((shown) => shown ?? Object.keys(d.table).some((k) => ADVANCED_KEYS.has(k)));
    }
  }, [status.data]);
  if (!status.data) return <Text c="dimmed">Loading…</Text>;
  const data = status.data;
  const options = data.options.map((o) => ({ value: o.value, label: o.label }));
  const labelOf = (value: string | undefined) => (value === undefined ? undefined : (options.find((o) => o.value === value)?.label ?? value));
  const setEntry = (s: string, v: string | null) =>
    setTable((t) => {
      const next = { ...t };
      if (v) next[s] = v;
      else delete next[s];
      return next;
    });
  const hiddenAdvanced = Object.keys(table).filter((k) => ADVANCED_KEYS.has(k)).length;
  return (
    <Stack gap="md">
      <Switch label="Write Conduit's status to the CRM" checked={data.enabled} onChange={(e) => {
          const enabled = e.currentTarget.checked;
          save.mutate({ enabled, crmField: data.crmField, source: data.source, table: data.table }, saved(enabled ? "Conduit's status is written to the CRM" : "Conduit's status is no longer written to the CRM"));
        }}
      />
      <Select label="CRM property" data={data.candidateFields.map((f) => ({ value: f.name, label: `${f.label} (${f.name})` }))} value={field} onChange={setField} searchable />
      {field !== data.crmField && <Text size="xs" c="dimmed">Save to load the options of the new property, then map each status.</Text>}
      <Switch
        label="Show advanced statuses"
        description="More granular statuses from Conduit's activities (email sent, LinkedIn connected, meeting booked…). One without a value uses its parent status's value."
        checked={advanced ?? false}
        onChange={(e) => setAdvanced(e.currentTarget.checked)}
      />
      {!advanced && hiddenAdvanced > 0 && (
        <Text size="xs" c="dimmed">
          {hiddenAdvanced === 1 ? '1 advanced status has' : `${hiddenAdvanced} advanced statuses have`} their own value.
        </Text>
      )}
      <Table>
        <Table.Tbody>
          {ENGAGEMENT_STATES.flatMap((s) => [
            <Table.Tr key={s}>
              <Table.Td>{ENGAGEMENT_LABELS[s]}</Table.Td>
              <Table.Td>
                <Select size="xs" w={360} clearable data={options} value={table[s] ?? null} onChange={(v) => setEntry(s, v)} aria-label={`CRM value for ${ENGAGEMENT_LABELS[s]}`} />
              </Table.Td>
            </Table.Tr>,
            ...(advanced
              ? advancedOf(s).map((a) => {
                  const inherited = labelOf(table[s]);
                  return (
                    <Table.Tr key={a.status} data-advanced-status={a.status}>
                      <Table.Td pl="xl">
                        <Text size="sm" c="dimmed" component="span">
                          ↳{' '}
                        </Text>
                        {a.label}
                      </Table.Td>
                      <Table.Td>
                        <Select
                          size="xs"
                          w={360}
                          clearable
                          data={options}
                          value={table[a.status] ?? null}
                          onChange={(v) => setEntry(a.status, v)}
                          placeholder={`Uses ${ENGAGEMENT_LABELS[s]}'s value${inherited ? ` (${inherited})` : ''}`}
                          aria-label={`CRM value for ${a.label}`}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })
              : []),
          ])}
        </Table.Tbody>
      </Table>
      <Group>
        <Button onClick={() => save.mutate({ enabled: data.enabled, crmField: field ?? data.crmField, source: 'engagementState', table: field === data.crmField ? table : {} }, saved('Status mapping saved'))} loading={save.isPending}>
          Save status mapping
        </Button>
      </Group>
      {save.error ? <Alert color="red">{errorText(save.error)}</Alert> : null}
    </Stack>
  );
}

/**
 * Export settings of a connection: when people export and the source stamp, owner mapping, status mapping (the
 * connection page's Export tab).
 */
export function ExportSettingsTabs({ crm }: { crm: CrmKind }) {
  const [tab, setTab] = useState<string | null>('basic');
  return (
    <Tabs value={tab} onChange={setTab}>
      <Tabs.List mb="md">
        <Tabs.Tab value="basic">Basic sync</Tabs.Tab>
        <Tabs.Tab value="owners">Owner mapping</Tabs.Tab>
        <Tabs.Tab value="status">Status mapping</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="basic">{tab === 'basic' && <BasicSync crm={crm} />}</Tabs.Panel>
      <Tabs.Panel value="owners">{tab === 'owners' && <OwnerMapping crm={crm} />}</Tabs.Panel>
      <Tabs.Panel value="status">{tab === 'status' && <StatusMapping crm={crm} />}</Tabs.Panel>
    </Tabs>
  );
}
