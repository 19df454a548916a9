import { Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useOpportunityStages } from '../../api/workflows';
import { errorMessage } from '../../components/error-state';
import { fieldOptions, type FieldCatalog } from './field-catalog';
import { OptionValuePicker, useFieldCatalog } from './field-picker';
import { RowsEditor, type RowsColumn } from './rows-editor';
import { LIFECYCLE_STAGES } from './workflow-form';

// What the four workflow editors share: the props, a titled section, option lists and the from → to value table.

export interface EditorProps<C> {
  config: C;
  onChange: (config: C) => void;
  errors: Record<string, string>;
  readOnly: boolean;
}

export function Section({ title, description, actions, children }: { title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <Card padding="lg" withBorder>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={4}>{title}</Title>
            {description && (
              <Text size="sm" c="dimmed">
                {description}
              </Text>
            )}
          </div>
          {actions}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

export const MASTER_OPTIONS = [
  { value: 'hubspot', label: 'HubSpot wins' },
  { value: 'salesforce', label: 'Salesforce wins' },
];

/** The lifecycle stages the API orders (a stage it does not know is refused), labelled as HubSpot names them. */
export function lifecycleOptions(hubspotContacts: FieldCatalog) {
  const discovered = fieldOptions(hubspotContacts, 'lifecyclestage');
  return LIFECYCLE_STAGES.map((s) => {
    const label = discovered.find((o) => o.value === s)?.label;
    return { value: s, label: label && label !== s ? `${label} (${s})` : s };
  });
}

export const useHubspotContacts = () => useFieldCatalog('hubspot', 'contacts', 'HubSpot contact property');

/** Opportunity stage values to pick from, and what to say while there are none (typed names then). */
export function useStageOptions() {
  const stages = useOpportunityStages();
  const options = stages.data ?? [];
  const note = stages.isError ? `Stage values unavailable (${errorMessage(stages.error)}): type the stage's API value` : null;
  return { options, note };
}

/** The Opportunity stage column of a stage table: a picker of the discovered stage values (typed names when there are none). */
export function opportunityStageColumn<R extends { stage: string }>(label: string, stages: ReturnType<typeof useStageOptions>, readOnly: boolean): RowsColumn<R> {
  return {
    key: 'stage',
    label,
    render: (row, _i, setRow, error, aria) => (
      <OptionValuePicker size="xs" aria-label={aria} placeholder="Closed Won" options={stages.options} value={row.stage} onChange={(stage) => setRow({ stage } as Partial<R>)} error={error} disabled={readOnly} />
    ),
  };
}

/** Why the stage pickers hold no values (the stages could not be read), when so. */
export function StageOptionsNote({ stages }: { stages: ReturnType<typeof useStageOptions> }) {
  if (!stages.note) return null;
  return (
    <Text size="xs" c="orange.8">
      {stages.note}
    </Text>
  );
}

interface ValueSide {
  label: string;
  placeholder: string;
  options: ReturnType<typeof fieldOptions>;
}

/** A from → to value table (Lead Source, industry lookup): two option pickers per row, add/remove, errors per cell. */
export function ValueTableEditor({
  label,
  path,
  rows,
  rowNoun,
  addLabel,
  from,
  to,
  onChange,
  errors,
  readOnly,
}: {
  label: string;
  path: string;
  rows: { from: string; to: string }[];
  rowNoun: string;
  addLabel: string;
  from: ValueSide;
  to: ValueSide;
  onChange: (rows: { from: string; to: string }[]) => void;
  errors: Record<string, string>;
  readOnly: boolean;
}) {
  return (
    <RowsEditor
      label={label}
      path={path}
      rows={rows}
      keyColumn="from"
      rowNoun={rowNoun}
      onChange={onChange}
      newRow={() => ({ from: '', to: '' })}
      errors={errors}
      readOnly={readOnly}
      addLabel={addLabel}
      columns={[
        {
          key: 'from',
          label: from.label,
          render: (row, _i, setRow, error, aria) => (
            <OptionValuePicker size="xs" aria-label={aria} placeholder={from.placeholder} options={from.options} value={row.from} onChange={(v) => setRow({ from: v })} error={error} disabled={readOnly} />
          ),
        },
        {
          key: 'to',
          label: to.label,
          render: (row, _i, setRow, error, aria) => (
            <OptionValuePicker size="xs" aria-label={aria} placeholder={to.placeholder} options={to.options} value={row.to} onChange={(v) => setRow({ to: v })} error={error} disabled={readOnly} />
          ),
        },
      ]}
    />
  );
}
