import type { DealPipelineDto, DncSettingsDto, OpportunityStageDto } from '@conduit/contracts';
import { Alert, Button, type ComboboxItem, Card, Group, MultiSelect, Skeleton, Stack, Switch, TagsInput, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { useDncSettings, useSaveDncSettings, useSyncDeals } from '../../api/dnc';
import { useDealPipelines, useOpportunityStages } from '../../api/workflows';
import { ErrorState, errorMessage } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { describeSubmitError } from '../../lib/form-errors';

const FIELDS = ['openDeals', 'openDealStages', 'closedWonCustomers', 'hubspotCustomerStages', 'salesforceCustomerTypes', 'domains'] as const;

/** One domain per line (commas and spaces separate too); blank lines dropped. */
export function parseDomains(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter((d) => d !== '');
}

/**
 * The open deal stages of both CRMs by their labels ("Contract Sent · HubSpot, Sales Pipeline"), stored by the value
 * each CRM keeps (HubSpot's stage id, Salesforce's StageName). Closed stages (won or lost) are left out: only open deals
 * count, so picking one would do nothing. A CRM not connected (409) offers none; a saved stage neither CRM lists stays,
 * as it is spelled, and a saved closed stage says it has no effect (the admin can remove it).
 */
export function dealStageOptions(pipelines: readonly DealPipelineDto[] | undefined, opportunityStages: readonly OpportunityStageDto[] | undefined, saved: readonly string[]): ComboboxItem[] {
  const all = [
    ...(pipelines ?? []).flatMap((p) => p.stages.map((s) => ({ value: s.id, label: `${s.label} · HubSpot, ${p.label}`, closed: s.closed }))),
    ...(opportunityStages ?? []).map((s) => ({ value: s.value, label: `${s.label} · Salesforce`, closed: s.closed })),
  ];
  const seen = new Set<string>();
  const open = all.filter((i) => !i.closed && !seen.has(i.value) && seen.add(i.value)).map(({ value, label }) => ({ value, label }));
  const closed = new Map(all.filter((i) => i.closed).map((i) => [i.value, i.label]));
  return [
    ...open,
    ...saved.filter((v) => !seen.has(v)).map((v) => {
      const label = closed.get(v);
      return { value: v, label: label ? `${label} (closed: has no effect)` : v };
    }),
  ];
}

/** Deal stages picked by name from the connected CRMs' pipelines; typed (as the CRM spells them) while neither answers. */
function DealStagesInput({ value, onChange, disabled, error }: { value: string[]; onChange: (v: string[]) => void; disabled: boolean; error: string | undefined }) {
  const pipelines = useDealPipelines();
  const stages = useOpportunityStages();
  const options = dealStageOptions(pipelines.data, stages.data, value);
  const description = 'Only open deals in these stages make their people do-not-contact; closed stages (won or lost) never count and are not listed. Leave empty for every open stage.';
  // Neither CRM listed its stages (not connected, or not answered yet): typed, as before.
  if (!pipelines.data?.length && !stages.data?.length) {
    return (
      <TagsInput
        label="Deal stages that count"
        description={`${description} Type each stage as your CRM names it internally (e.g. appointmentscheduled, Negotiation/Review).`}
        value={value}
        onChange={onChange}
        disabled={disabled}
        error={error}
        clearable
      />
    );
  }
  return (
    <MultiSelect
      label="Deal stages that count"
      description={description}
      placeholder={value.length ? undefined : 'Every open stage'}
      data={options}
      value={value}
      onChange={onChange}
      disabled={disabled}
      error={error}
      searchable
      clearable
      nothingFoundMessage="No open stage of that name"
    />
  );
}

function DncForm({ settings }: { settings: DncSettingsDto }) {
  const save = useSaveDncSettings();
  const syncDeals = useSyncDeals();
  const [values, setValues] = useState(settings);
  const [domainsText, setDomainsText] = useState(settings.domains.join('\n'));
  const failure = save.error ? describeSubmitError(save.error, FIELDS) : null;
  const set = <K extends keyof DncSettingsDto>(key: K, value: DncSettingsDto[K]) => setValues((v) => ({ ...v, [key]: value }));

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          { ...values, domains: parseDomains(domainsText) },
          {
            onSuccess: (saved) => {
              setDomainsText(saved.domains.join('\n'));
              notifications.show({ color: 'teal', message: 'Do-not-contact settings saved' });
            },
          },
        );
      }}
    >
      <Stack gap="lg">
        <Card padding="lg">
          <Text fw={600}>Open deals</Text>
          <Text size="sm" c="dimmed" mb="md">
            People associated with an open deal in the CRM are not contacted while sales works the deal.
          </Text>
          <Stack>
            <Switch label="People with an open deal are do-not-contact" checked={values.openDeals} onChange={(e) => set('openDeals', e.currentTarget.checked)} error={failure?.fieldErrors['openDeals']} />
            <DealStagesInput
              value={values.openDealStages}
              onChange={(v) => set('openDealStages', v)}
              disabled={!values.openDeals}
              error={failure?.fieldErrors['openDealStages']}
            />
          </Stack>
        </Card>
        <Card padding="lg">
          <Text fw={600}>Customers</Text>
          <Text size="sm" c="dimmed" mb="md">
            Everyone at a customer company is do-not-contact.
          </Text>
          <Stack>
            <Switch
              label="A company with a closed-won deal is a customer"
              checked={values.closedWonCustomers}
              onChange={(e) => set('closedWonCustomers', e.currentTarget.checked)}
              error={failure?.fieldErrors['closedWonCustomers']}
            />
            <TagsInput
              label="HubSpot company lifecycle stages that mean customer"
              placeholder="e.g. customer, evangelist"
              value={values.hubspotCustomerStages}
              onChange={(v) => set('hubspotCustomerStages', v)}
              error={failure?.fieldErrors['hubspotCustomerStages']}
              clearable
            />
            <TagsInput
              label="Salesforce Account Types that mean customer"
              placeholder="e.g. Customer, Customer - Direct"
              value={values.salesforceCustomerTypes}
              onChange={(v) => set('salesforceCustomerTypes', v)}
              error={failure?.fieldErrors['salesforceCustomerTypes']}
              clearable
            />
          </Stack>
        </Card>
        <Card padding="lg">
          <Text fw={600}>Domains</Text>
          <Text size="sm" c="dimmed" mb="md">
            Nobody with an email at these domains is contacted (competitors, partners, your own company).
          </Text>
          <Textarea
            label="Do-not-contact domains"
            description="One per line, e.g. example.com"
            autosize
            minRows={4}
            maxRows={14}
            value={domainsText}
            onChange={(e) => setDomainsText(e.currentTarget.value)}
            error={failure?.fieldErrors['domains']}
          />
        </Card>
        {failure?.summary && (
          <Alert color="red" variant="light" role="alert">
            {failure.summary}
          </Alert>
        )}
        <Group justify="space-between">
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={syncDeals.isPending}
            onClick={() =>
              syncDeals.mutate(undefined, {
                onSuccess: () => notifications.show({ color: 'teal', message: 'Re-reading deals and customer status from your CRMs' }),
                onError: (e) => notifications.show({ color: 'red', title: 'Could not re-read deals', message: errorMessage(e) }),
              })
            }
          >
            Re-read deals now
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Settings → Do not contact: open-deal stages, customer rules and the domain list. */
export function DncSettingsPage() {
  const settings = useDncSettings();
  return (
    <>
      <PageHeader title="Do not contact" description="Who campaigns leave out because of deals and customers in your CRM, or their email domain. Deals are re-read every 15 minutes." />
      {settings.error ? (
        <ErrorState error={settings.error} title="Could not load do-not-contact settings" onRetry={() => void settings.refetch()} />
      ) : settings.data ? (
        <DncForm settings={settings.data} />
      ) : (
        <Card padding="lg">
          <Skeleton h={16} w="30%" mb="sm" />
          <Skeleton h={36} mb="sm" />
          <Skeleton h={36} />
        </Card>
      )}
    </>
  );
}
