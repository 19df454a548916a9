import type { ApiAllocationDto, ApiBudgetDto } from '@conduit/contracts';
import { Alert, Button, Card, Group, Loader, NumberInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useApiAllocation, useApiBudget, useSaveApiAllocation } from '../../../api/api-budget';
import { useSession } from '../../../api/auth';
import { ErrorState } from '../../../components/error-state';
import { formatDateTime } from '../../../lib/format';
import { type AllocationDraft, type AllocationField, allocationBody, allocationErrors, allowanceSentence, resetSentence, saveErrors, toDraft } from './allocation-draft';

const CRM_NAME = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;

/**
 * The connection's allocation of the CRM's API budget (#17), self-contained for any page that has a connection id:
 * the share of the daily budget Conduit may use, the share of the 10-second window (HubSpot), the reserve kept for
 * live work and, where the CRM does not report it, the account's daily limit — with when the day resets, what the
 * values mean in calls, plain-language validation and feedback on save. Members see it read-only.
 */
export function ApiAllocationForm({ connectionId }: { connectionId: string }) {
  const allocation = useApiAllocation(connectionId);
  const budget = useApiBudget(connectionId);
  if (allocation.isError || budget.isError) {
    const error = allocation.error ?? budget.error;
    return <ErrorState error={error} title="Could not load the API allocation" onRetry={() => void Promise.all([allocation.refetch(), budget.refetch()])} />;
  }
  if (!allocation.data || !budget.data) return <Loader size="sm" />;
  return <AllocationCard connectionId={connectionId} saved={allocation.data} budget={budget.data} />;
}

function AllocationCard({ connectionId, saved, budget }: { connectionId: string; saved: ApiAllocationDto; budget: ApiBudgetDto }) {
  const session = useSession();
  const isAdmin = session.data?.user.role === 'admin';
  const save = useSaveApiAllocation(connectionId);
  const [draft, setDraft] = useState<AllocationDraft>(() => toDraft(saved));
  const [touched, setTouched] = useState<ReadonlySet<AllocationField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<AllocationField, string>>>({});
  const [summary, setSummary] = useState<string | null>(null);
  // Another tab or admin saved: start again from what is stored.
  useEffect(() => setDraft(toDraft(saved)), [saved]);

  const errors = { ...allocationErrors(draft), ...serverErrors };
  const shown = (f: AllocationField) => (submitted || touched.has(f) ? errors[f] : undefined);
  const body = allocationBody(draft, saved);
  const dirty = Object.keys(body).length > 0;
  const name = CRM_NAME[budget.crm];

  const set = (field: AllocationField) => (value: number | string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setServerErrors(({ [field]: _, ...rest }) => rest);
    setSummary(null);
  };
  const blur = (field: AllocationField) => () => setTouched((t) => new Set([...t, field]));

  const submit = () => {
    setSubmitted(true);
    setSummary(null);
    if (Object.keys(allocationErrors(draft)).length > 0) {
      setSummary('Some values are not valid: see the highlighted fields.');
      return;
    }
    save.mutate(body, {
      onSuccess: () => {
        setSubmitted(false);
        setTouched(new Set());
        notifications.show({ color: 'teal', title: 'API allocation saved', message: `Conduit uses the new ${name} allocation within a few seconds.` });
      },
      onError: (error) => {
        const { fields, summary: line } = saveErrors(error);
        setServerErrors(fields);
        setSummary(line ?? 'Some values are not valid: see the highlighted fields.');
      },
    });
  };

  const field = (key: AllocationField, label: string, description: string, suffix: string | undefined) => (
    <NumberInput
      label={label}
      description={description}
      value={draft[key]}
      onChange={set(key)}
      onBlur={blur(key)}
      error={shown(key)}
      suffix={suffix}
      allowDecimal={false}
      allowNegative={false}
      thousandSeparator={suffix ? undefined : ','}
      placeholder={key === 'accountDailyLimit' ? (budget.dailyLimitSource === 'crm' && budget.dailyLimit ? `${name} reports ${budget.dailyLimit.toLocaleString('en')}` : 'Not reported') : undefined}
      disabled={!isAdmin}
      data-testid={`allocation-${key}`}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
    />
  );

  return (
    <Card withBorder padding="lg" data-testid={`allocation-${connectionId}`}>
      <Stack gap="md">
        <div>
          <Title order={4}>Allocation</Title>
          <Text size="sm" c="dimmed" maw={760}>
            How much of {name}'s API budget Conduit may use. The budget is shared with every other integration of the account: what Conduit does not use stays
            theirs.
          </Text>
        </div>
        <Text size="sm" data-testid="allocation-reset">
          {resetSentence(budget)}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: budget.crm === 'hubspot' ? 4 : 3 }} spacing="lg">
          {field('dailyShare', 'Share of the daily budget', `Of the account's daily API calls, the part Conduit may use (default 50 %).`, ' %')}
          {budget.crm === 'hubspot' &&
            field('windowShare', 'Share of the 10-second window', 'Of the calls HubSpot allows every 10 seconds, the part Conduit paces itself to (default 95 %).', ' %')}
          {field('liveReserveShare', 'Reserve for live work', "Part of Conduit's share kept for activity logging, single pushes and workflows when bulk work pauses (default 10 %).", ' %')}
          {field(
            'accountDailyLimit',
            "Account's daily limit (calls)",
            budget.crm === 'hubspot'
              ? 'HubSpot does not tell connected apps the account\'s daily limit. Enter it (e.g. 250,000 on Starter) so Conduit can keep to its share.'
              : 'Usually empty: Salesforce reports the daily limit. A figure here is used only while it has not.',
            undefined,
          )}
        </SimpleGrid>
        <Text size="sm" data-testid="allocation-allowance">
          {allowanceSentence(draft, budget)}
        </Text>
        {summary && (
          <Alert color="red" variant="light" data-testid="allocation-error">
            {summary}
          </Alert>
        )}
        {isAdmin ? (
          <Group gap="md">
            <Button onClick={submit} loading={save.isPending} disabled={!dirty}>
              Save allocation
            </Button>
            {dirty ? (
              <Button variant="subtle" color="gray" onClick={() => { setDraft(toDraft(saved)); setServerErrors({}); setSummary(null); setSubmitted(false); setTouched(new Set()); }}>
                Discard changes
              </Button>
            ) : (
              <Text size="xs" c="dimmed" data-testid="allocation-saved">
                {saved.updatedAt ? `Saved ${formatDateTime(saved.updatedAt)}.` : 'The defaults: no admin has changed them.'}
              </Text>
            )}
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            Only admins can change the allocation.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
