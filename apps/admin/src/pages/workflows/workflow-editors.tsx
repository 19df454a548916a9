import type { AccountHygieneConfigDto, EmailChangeConfigDto, FieldMaster, StageLifecycleConfigDto } from '@conduit/contracts';
import { Checkbox, Group, NumberInput, Select, Stack, TagsInput } from '@mantine/core';
import { CompanyFieldsCheckboxes, IndustryLookupSection } from './account-parts';
import { RediscoverFields } from './field-picker';
import { RowsEditor } from './rows-editor';
import { lifecycleOptions, MASTER_OPTIONS, opportunityStageColumn, Section, StageOptionsNote, useHubspotContacts, useStageOptions, type EditorProps } from './workflow-editor-parts';

// ---- Stage → lifecycle -------------------------------------------------------------------------------

type StageRow = StageLifecycleConfigDto['rules'][number];

export function StageLifecycleEditor({ config, onChange, errors, readOnly }: EditorProps<StageLifecycleConfigDto>) {
  const hubspot = useHubspotContacts();
  const stages = useStageOptions();
  return (
    <Section title="Stage → lifecycle table" description="The first row matching the Opportunity's stage (and amount, when set) gives the contacts' lifecycle stage.">
      <RowsEditor<StageRow>
        label="Stage rules"
        path="config.rules"
        rows={config.rules}
        keyColumn="stage"
        rowNoun="stage rule"
        onChange={(rules) => onChange({ ...config, rules })}
        newRow={() => ({ stage: '', lifecycle: 'salesqualifiedlead', minAmountExclusive: null })}
        errors={errors}
        readOnly={readOnly}
        addLabel="Add stage"
        columns={[
          opportunityStageColumn<StageRow>('Opportunity stage', stages, readOnly),
          { key: 'lifecycle', label: 'HubSpot lifecycle stage', options: lifecycleOptions(hubspot) },
          {
            key: 'minAmountExclusive',
            label: 'Only when Amount >',
            ariaLabel: 'Minimum amount (exclusive)',
            render: (row, _i, setRow, error, aria) => (
              <NumberInput
                size="xs"
                aria-label={aria}
                placeholder="any amount"
                value={row.minAmountExclusive ?? ''}
                onChange={(v) => setRow({ minAmountExclusive: typeof v === 'number' ? v : null })}
                error={error}
                disabled={readOnly}
              />
            ),
          },
        ]}
      />
      <StageOptionsNote stages={stages} />
      <Checkbox
        label="Allow moving backwards (e.g. customer → opportunity)"
        description="Off: a contact's lifecycle stage only moves forward"
        checked={config.allowBackwards}
        onChange={(e) => onChange({ ...config, allowBackwards: e.currentTarget.checked })}
        error={errors['config.allowBackwards']}
        disabled={readOnly}
      />
    </Section>
  );
}

// ---- Email change ----------------------------------------------------------------------------------------

export function EmailChangeEditor({ config, onChange, errors, readOnly }: EditorProps<EmailChangeConfigDto>) {
  return (
    <Section
      title="Email change"
      description="Both directions map email ↔ Email both ways: name the master. The other side then only fills an empty email, never overwrites one; Conduit's own writes are recognised and never bounce back."
    >
      <Group align="flex-start" grow maw={720}>
        <Select
          label="Direction"
          data={[
            { value: 'hubspot_to_salesforce', label: 'HubSpot → Salesforce' },
            { value: 'both', label: 'Both directions' },
          ]}
          value={config.direction}
          onChange={(v) => onChange({ ...config, direction: v === 'both' ? 'both' : 'hubspot_to_salesforce' })}
          allowDeselect={false}
          error={errors['config.direction']}
          disabled={readOnly}
        />
        <Select
          label="Master for email"
          data={[{ value: '', label: 'No master' }, ...MASTER_OPTIONS]}
          value={config.master ?? ''}
          onChange={(v) => onChange({ ...config, master: v ? (v as FieldMaster) : null })}
          allowDeselect={false}
          error={errors['config.master']}
          disabled={readOnly}
        />
      </Group>
    </Section>
  );
}

// ---- Account hygiene ----------------------------------------------------------------------------------

export function AccountHygieneEditor({ config, onChange, errors, readOnly }: EditorProps<AccountHygieneConfigDto>) {
  return (
    <Stack gap="md">
      <Section
        title="Fields"
        description="Salesforce Account values copied to the HubSpot company with the same domain. Empty and generic values (N/A, unknown, …) never overwrite."
        actions={readOnly ? undefined : <RediscoverFields crms={['salesforce', 'hubspot']} />}
      >
        <CompanyFieldsCheckboxes value={config.fields} onChange={(fields) => onChange({ ...config, fields })} error={errors['config.fields']} readOnly={readOnly} />
        <TagsInput
          label="More generic values to refuse"
          placeholder="Type a value and press Enter"
          value={config.genericValues}
          onChange={(genericValues) => onChange({ ...config, genericValues })}
          error={errors['config.genericValues']}
          disabled={readOnly}
          maw={520}
        />
      </Section>
      <IndustryLookupSection rows={config.industryTable} onChange={(industryTable) => onChange({ ...config, industryTable })} errors={errors} readOnly={readOnly} />
    </Stack>
  );
}

