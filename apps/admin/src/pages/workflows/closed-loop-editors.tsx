import type { AccountCompanyConfigDto, DealStageRowDto, OpportunityDealConfigDto, ValueTableRowDto } from '@conduit/contracts';
import { Checkbox, Group, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useDealPipelines, useWorkflowOwners } from '../../api/workflows';
import { errorMessage } from '../../components/error-state';
import { CompanyFieldsCheckboxes, IndustryLookupSection } from './account-parts';
import { RediscoverFields } from './field-picker';
import { RowsEditor } from './rows-editor';
import { opportunityStageColumn, Section, StageOptionsNote, useStageOptions, type EditorProps } from './workflow-editor-parts';

// The closed loop's editors: Opportunity → HubSpot deal and Account → HubSpot company.

// ---- Opportunity → HubSpot deal -------------------------------------------------------------------

function ownerLabel(o: { name: string; email: string | null; active: boolean }): string {
  const base = o.email && o.email !== o.name ? `${o.name} (${o.email})` : o.name;
  return o.active ? base : `${base}, inactive`;
}

export function OpportunityDealEditor({ config, onChange, errors, readOnly }: EditorProps<OpportunityDealConfigDto>) {
  const pipelines = useDealPipelines();
  const owners = useWorkflowOwners();
  const stages = useStageOptions();
  const pipeline = pipelines.data?.find((p) => p.id === config.pipeline);
  const stageOptions = (pipeline?.stages ?? []).map((s) => ({ value: s.id, label: s.label }));
  // A stage the table names that the pipeline does not have stays visible (and the API refuses it at run time).
  for (const row of config.stages) if (row.dealstage && !stageOptions.some((o) => o.value === row.dealstage)) stageOptions.push({ value: row.dealstage, label: `${row.dealstage} (not in this pipeline)` });
  const sfUsers = (owners.data?.salesforce ?? []).map((u) => ({ value: u.id, label: ownerLabel(u) }));
  const hsOwners = (owners.data?.hubspot ?? []).map((o) => ({ value: o.id, label: ownerLabel(o) }));
  for (const row of config.ownerTable) {
    if (row.from && !sfUsers.some((u) => u.value === row.from)) sfUsers.push({ value: row.from, label: `Unknown user ${row.from}` });
    if (row.to && !hsOwners.some((o) => o.value === row.to)) hsOwners.push({ value: row.to, label: `Unknown owner ${row.to}` });
  }
  return (
    <Stack gap="md">
      <Section
        title="Deal"
        description="Each Salesforce Opportunity becomes one HubSpot deal, updated when the Opportunity changes: name, stage, amount, close date and owner. The deal is associated with the HubSpot contacts of the Opportunity's contact roles and the company of its Account (Conduit's links first, then by email and website domain)."
      >
        {pipelines.isError ? (
          <TextInput
            label="HubSpot pipeline (id)"
            description={`Pipelines unavailable (${errorMessage(pipelines.error)}): type the pipeline's id`}
            value={config.pipeline}
            onChange={(e) => onChange({ ...config, pipeline: e.currentTarget.value })}
            error={errors['config.pipeline']}
            disabled={readOnly}
            maw={360}
          />
        ) : (
          <Select
            label="HubSpot pipeline"
            description="New deals are created in this pipeline; the stage table names its stages."
            data={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.label }))}
            value={config.pipeline}
            onChange={(v) => v && onChange({ ...config, pipeline: v })}
            allowDeselect={false}
            placeholder={pipelines.isPending ? 'Loading pipelines…' : undefined}
            error={errors['config.pipeline']}
            disabled={readOnly}
            maw={360}
          />
        )}
      </Section>
      <Section title="Stage table" description="The Opportunity's stage gives the deal's stage. An Opportunity in a stage with no row is not written; its run asks for your attention.">
        <RowsEditor<DealStageRowDto>
          label="Stage table"
          path="config.stages"
          rows={config.stages}
          keyColumn="stage"
          rowNoun="stage row"
          onChange={(rows) => onChange({ ...config, stages: rows })}
          newRow={() => ({ stage: '', dealstage: stageOptions[0]?.value ?? '' })}
          errors={errors}
          readOnly={readOnly}
          addLabel="Add stage"
          columns={[
            opportunityStageColumn<DealStageRowDto>('Salesforce Opportunity stage', stages, readOnly),
            { key: 'dealstage', label: 'HubSpot deal stage', options: stageOptions },
          ]}
        />
        <StageOptionsNote stages={stages} />
      </Section>
      <Section title="Owner" description="The deal's owner follows the Opportunity's owner. Without a match the deal keeps the owner it has, and the run says why.">
        <Checkbox
          label="Match a Salesforce user to the HubSpot owner with the same email"
          checked={config.matchOwnersByEmail}
          onChange={(e) => onChange({ ...config, matchOwnersByEmail: e.currentTarget.checked })}
          error={errors['config.matchOwnersByEmail']}
          disabled={readOnly}
        />
        <RowsEditor<ValueTableRowDto>
          label="Owner table"
          path="config.ownerTable"
          rows={config.ownerTable}
          keyColumn="from"
          rowNoun="owner row"
          onChange={(ownerTable) => onChange({ ...config, ownerTable })}
          newRow={() => ({ from: '', to: '' })}
          errors={errors}
          readOnly={readOnly}
          addLabel="Add owner"
          empty="No rows: owners are matched by email only."
          columns={[
            { key: 'from', label: 'Salesforce user', options: sfUsers, placeholder: 'Pick a user' },
            { key: 'to', label: 'HubSpot owner', options: hsOwners, placeholder: 'Pick an owner' },
          ]}
        />
        {owners.isError && (
          <Text size="xs" c="orange.8">
            Owners unavailable ({errorMessage(owners.error)}).
          </Text>
        )}
      </Section>
    </Stack>
  );
}

// ---- Account → HubSpot company ------------------------------------------------------------------------

export function AccountCompanyEditor({ config, onChange, errors, readOnly }: EditorProps<AccountCompanyConfigDto>) {
  return (
    <Stack gap="md">
      <Section
        title="Quality gate"
        description="An Account is copied only with a usable website domain (not free mail such as gmail.com, not example.com, not one of the domains below) and a real name (not Test, Unknown, N/A, [not provided] or the names below). Refused Accounts show in the run log with the reason."
      >
        <Checkbox
          label="Create a HubSpot company when none has the Account's domain"
          description="Off: only companies that already exist in HubSpot are updated"
          checked={config.create}
          onChange={(e) => onChange({ ...config, create: e.currentTarget.checked })}
          error={errors['config.create']}
          disabled={readOnly}
        />
        <Group align="flex-start" grow maw={900}>
          <TagsInput
            label="More placeholder names to refuse"
            placeholder="Type a name and press Enter"
            value={config.genericValues}
            onChange={(genericValues) => onChange({ ...config, genericValues })}
            error={errors['config.genericValues']}
            disabled={readOnly}
          />
          <TagsInput
            label="More domains that are not a company"
            placeholder="e.g. partner-portal.com"
            value={config.blockedDomains}
            onChange={(blockedDomains) => onChange({ ...config, blockedDomains })}
            error={errors['config.blockedDomains']}
            disabled={readOnly}
          />
        </Group>
      </Section>
      <Section
        title="Fields"
        description="Copied to the company besides its domain (a new company always gets the Account's name). Empty and generic values never overwrite what HubSpot has."
        actions={readOnly ? undefined : <RediscoverFields crms={['salesforce', 'hubspot']} />}
      >
        <CompanyFieldsCheckboxes value={config.fields} onChange={(fields) => onChange({ ...config, fields })} error={errors['config.fields']} readOnly={readOnly} />
      </Section>
      <IndustryLookupSection rows={config.industryTable} onChange={(industryTable) => onChange({ ...config, industryTable })} errors={errors} readOnly={readOnly} />
    </Stack>
  );
}
