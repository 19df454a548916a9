import { FILTER_OPERATORS } from '@conduit/contracts';
import { NumberInput, SegmentedControl, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { fieldOptions } from './field-catalog';
import { CrmFieldPicker, OptionListPicker, OptionValuePicker, RediscoverFields, useFieldCatalog } from './field-picker';
import { RowsEditor } from './rows-editor';
import { MASTER_OPTIONS, Section, useHubspotContacts, useStageOptions, ValueTableEditor, type EditorProps } from './workflow-editor-parts';
import { LIST_OPERATORS, NUMBER_OPERATORS, OPERATOR_LABELS, VALUELESS_OPERATORS, type ConditionDraft, type MqlDraft } from './workflow-form';

/** The MQL handoff (HubSpot MQL → Salesforce Lead): trigger and filter, field mapping, Lead Source, owner, Opportunity. */
export function MqlHandoffEditor({ config, onChange, errors, readOnly }: EditorProps<MqlDraft>) {
  const set = (patch: Partial<MqlDraft>) => onChange({ ...config, ...patch });
  const owner = config.owner;
  const hubspot = useHubspotContacts();
  const lead = useFieldCatalog('salesforce', 'contacts', 'Salesforce Lead field');
  const stages = useStageOptions();
  return (
    <Stack gap="md">
      <Section
        title="Trigger and filter"
        description="Runs when a contact's lifecycle stage becomes the trigger stage and every condition holds (any HubSpot property)."
        actions={readOnly ? undefined : <RediscoverFields crms={['hubspot', 'salesforce']} />}
      >
        <OptionValuePicker
          label="Trigger lifecycle stage"
          description="HubSpot internal value"
          options={fieldOptions(hubspot, 'lifecyclestage')}
          value={config.triggerStage}
          onChange={(triggerStage) => set({ triggerStage })}
          error={errors['config.triggerStage']}
          disabled={readOnly}
          maw={360}
        />
        <RowsEditor<ConditionDraft>
          label="Filter conditions"
          path="config.conditions"
          rows={config.conditions}
          keyColumn="property"
          rowNoun="condition"
          onChange={(conditions) => set({ conditions })}
          newRow={() => ({ property: '', operator: 'eq' as const, value: '' })}
          errors={errors}
          readOnly={readOnly}
          addLabel="Add condition"
          empty="No conditions: every MQL is handed off."
          columns={[
            {
              key: 'property',
              label: 'HubSpot property',
              render: (row, _i, setRow, error, aria) => (
                <CrmFieldPicker size="xs" aria-label={aria} placeholder="hubspotscore" catalog={hubspot} value={row.property} onChange={(property) => setRow({ property })} error={error} disabled={readOnly} />
              ),
            },
            { key: 'operator', label: 'Operator', options: FILTER_OPERATORS.map((o) => ({ value: o, label: OPERATOR_LABELS[o] })), width: 150 },
            {
              key: 'value',
              label: 'Value',
              render: (row, _i, setRow, error, aria) => {
                if (VALUELESS_OPERATORS.includes(row.operator))
                  return (
                    <Text size="xs" c="dimmed" pt={6}>
                      no value
                    </Text>
                  );
                const options = NUMBER_OPERATORS.includes(row.operator) ? [] : fieldOptions(hubspot, row.property);
                const Picker = LIST_OPERATORS.includes(row.operator) ? OptionListPicker : OptionValuePicker;
                return (
                  <Picker
                    size="xs"
                    aria-label={aria}
                    placeholder={LIST_OPERATORS.includes(row.operator) ? (options.length ? 'Pick values' : 'Germany, France') : 'value'}
                    options={options}
                    value={row.value}
                    onChange={(value) => setRow({ value })}
                    error={error}
                    disabled={readOnly}
                  />
                );
              },
            },
          ]}
        />
      </Section>

      <Section
        title="Field mapping (HubSpot → Salesforce Lead)"
        description="A default fills the Lead field when the HubSpot value is blank. The master decides who wins for a field that is also mapped back (Salesforce wins: the handoff only fills the field while it is empty in Salesforce)."
      >
        <RowsEditor
          label="Field mapping"
          path="config.fieldMap"
          rows={config.fieldMap}
          keyColumn="salesforce"
          rowNoun="mapped field"
          onChange={(fieldMap) => set({ fieldMap })}
          newRow={() => ({ hubspot: '', salesforce: '', default: '', master: null })}
          errors={errors}
          readOnly={readOnly}
          addLabel="Add field"
          columns={[
            {
              key: 'hubspot',
              label: 'HubSpot property',
              render: (row, _i, setRow, error, aria) => (
                <CrmFieldPicker size="xs" aria-label={aria} placeholder="empty = default only" catalog={hubspot} value={row.hubspot} onChange={(v) => setRow({ hubspot: v })} error={error} disabled={readOnly} />
              ),
            },
            {
              key: 'salesforce',
              label: 'Salesforce Lead field',
              render: (row, _i, setRow, error, aria) => (
                <CrmFieldPicker size="xs" aria-label={aria} placeholder="Title" catalog={lead} writable value={row.salesforce} onChange={(v) => setRow({ salesforce: v })} error={error} disabled={readOnly} />
              ),
            },
            {
              key: 'default',
              label: 'Default',
              render: (row, _i, setRow, error, aria) => (
                <OptionValuePicker size="xs" aria-label={aria} placeholder="—" options={fieldOptions(lead, row.salesforce)} value={row.default} onChange={(v) => setRow({ default: v })} error={error} disabled={readOnly} />
              ),
            },
            { key: 'master', label: 'Master', options: MASTER_OPTIONS, emptyOption: 'No master', width: 170 },
          ]}
        />
        <CrmFieldPicker
          label="External id field"
          description="The Lead field holding the HubSpot contact id (the upsert key)"
          catalog={lead}
          writable
          value={config.externalIdField}
          onChange={(externalIdField) => set({ externalIdField })}
          error={errors['config.externalIdField']}
          disabled={readOnly}
          maw={360}
        />
      </Section>

      <Section title="Lead Source" description="HubSpot's original source (hs_analytics_source) translated into a Salesforce Lead Source.">
        <ValueTableEditor
          label="Lead source values"
          path="config.leadSourceTable"
          rows={config.leadSourceTable}
          rowNoun="Lead Source row"
          addLabel="Add value"
          from={{ label: 'HubSpot source', placeholder: 'ORGANIC_SEARCH', options: fieldOptions(hubspot, 'hs_analytics_source') }}
          to={{ label: 'Salesforce Lead Source', placeholder: 'Web', options: fieldOptions(lead, 'LeadSource') }}
          onChange={(leadSourceTable) => set({ leadSourceTable })}
          errors={errors}
          readOnly={readOnly}
        />
        <OptionValuePicker
          label="Lead Source when no row matches"
          description="Empty leaves Lead Source alone"
          options={fieldOptions(lead, 'LeadSource')}
          value={config.leadSourceDefault ?? ''}
          onChange={(v) => set({ leadSourceDefault: v === '' ? null : v })}
          error={errors['config.leadSourceDefault']}
          disabled={readOnly}
          maw={360}
        />
      </Section>

      <Section title="Owner" description="Who owns the Lead: by the HubSpot owner, or by a territory table (a state row beats a whole-country row).">
        <SegmentedControl
          aria-label="Owner rule"
          value={owner.kind}
          onChange={(kind) => set({ owner: { ...owner, kind: kind } })}
          data={[
            { value: 'none', label: 'Salesforce default' },
            { value: 'owner_mapping', label: 'Owner mapping' },
            { value: 'territory', label: 'Territory table' },
          ]}
          disabled={readOnly}
          w="fit-content"
        />
        {errors['config.owner.kind'] && (
          <Text size="xs" c="red">
            {errors['config.owner.kind']}
          </Text>
        )}
        {owner.kind === 'owner_mapping' && (
          <RowsEditor
            label="Owner mapping"
            path="config.owner.ownerMapping"
            rows={owner.ownerMapping ?? []}
            keyColumn="from"
            rowNoun="owner row"
            onChange={(ownerMapping) => set({ owner: { ...owner, ownerMapping } })}
            newRow={() => ({ from: '', to: '' })}
            errors={errors}
            readOnly={readOnly}
            addLabel="Add owner"
            columns={[
              { key: 'from', label: 'HubSpot owner id', placeholder: '12345' },
              { key: 'to', label: 'Salesforce User id', placeholder: '005…' },
            ]}
          />
        )}
        {owner.kind === 'territory' && (
          <RowsEditor
            label="Territories"
            path="config.owner.territories"
            rows={(owner.territories ?? []).map((t) => ({ ...t, state: t.state ?? '' }))}
            keyColumn="country"
            rowNoun="territory"
            onChange={(rows) => set({ owner: { ...owner, territories: rows.map((t) => ({ ...t, state: t.state?.trim() ? t.state : null })) } })}
            newRow={() => ({ country: '', state: '', ownerId: '' })}
            errors={errors}
            readOnly={readOnly}
            addLabel="Add territory"
            columns={[
              { key: 'country', label: 'Country', placeholder: 'Germany' },
              { key: 'state', label: 'State', placeholder: 'empty = whole country' },
              { key: 'ownerId', label: 'Salesforce User id', ariaLabel: 'Territory owner (Salesforce User id)', placeholder: '005…' },
            ]}
          />
        )}
        {owner.kind !== 'none' && (
          <TextInput
            label="Fallback owner (Salesforce User id)"
            value={owner.defaultOwnerId ?? ''}
            onChange={(e) => set({ owner: { ...owner, defaultOwnerId: e.currentTarget.value } })}
            error={errors['config.owner.defaultOwnerId']}
            disabled={readOnly}
            maw={360}
          />
        )}
      </Section>

      <Section title="Opportunity" description="Optionally create an Opportunity when a new Lead is created.">
        <Switch
          label="Create an Opportunity"
          checked={config.opportunity.enabled}
          onChange={(e) => set({ opportunity: { ...config.opportunity, enabled: e.currentTarget.checked } })}
          error={errors['config.opportunity.enabled']}
          disabled={readOnly}
        />
        {config.opportunity.enabled && (
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <OptionValuePicker
              label="Stage"
              description={stages.note ?? 'A Salesforce Opportunity stage'}
              options={stages.options}
              value={config.opportunity.stageName}
              onChange={(stageName) => set({ opportunity: { ...config.opportunity, stageName } })}
              error={errors['config.opportunity.stageName']}
              disabled={readOnly}
            />
            <NumberInput
              label="Amount"
              min={0}
              value={config.opportunity.amount ?? ''}
              onChange={(v) => set({ opportunity: { ...config.opportunity, amount: typeof v === 'number' ? v : null } })}
              error={errors['config.opportunity.amount']}
              disabled={readOnly}
            />
            <NumberInput
              label="Close date (days after creation)"
              min={0}
              max={3650}
              allowDecimal={false}
              value={config.opportunity.closeInDays}
              onChange={(v) => set({ opportunity: { ...config.opportunity, closeInDays: typeof v === 'number' ? v : 0 } })}
              error={errors['config.opportunity.closeInDays']}
              disabled={readOnly}
            />
          </SimpleGrid>
        )}
      </Section>
    </Stack>
  );
}

