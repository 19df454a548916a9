import { Checkbox, Group } from '@mantine/core';
import { fieldOptions } from './field-catalog';
import { useFieldCatalog } from './field-picker';
import { Section, ValueTableEditor } from './workflow-editor-parts';

// What the two Account → HubSpot company editors share (Account hygiene, and the closed loop's Account → company).

type CompanyField = 'name' | 'industry' | 'numberofemployees';

/** Which Account values are copied to the company. */
export function CompanyFieldsCheckboxes({ value, onChange, error, readOnly }: { value: CompanyField[]; onChange: (fields: CompanyField[]) => void; error: string | undefined; readOnly: boolean }) {
  return (
    <Checkbox.Group value={value} onChange={onChange} error={error}>
      <Group mt={4}>
        <Checkbox value="name" label="Name" disabled={readOnly} />
        <Checkbox value="industry" label="Industry" disabled={readOnly} />
        <Checkbox value="numberofemployees" label="Employee count" disabled={readOnly} />
      </Group>
    </Checkbox.Group>
  );
}

/** Salesforce Industry → HubSpot industry option, picked from both CRMs' discovered options. */
export function IndustryLookupSection({ rows, onChange, errors, readOnly }: { rows: { from: string; to: string }[]; onChange: (rows: { from: string; to: string }[]) => void; errors: Record<string, string>; readOnly: boolean }) {
  const account = useFieldCatalog('salesforce', 'companies', 'Salesforce Account field');
  const company = useFieldCatalog('hubspot', 'companies', 'HubSpot company property');
  return (
    <Section title="Industry lookup" description="Salesforce Industry → HubSpot industry option. Unlisted values must match a HubSpot option as they are.">
      <ValueTableEditor
        label="Industry lookup"
        path="config.industryTable"
        rows={rows}
        rowNoun="industry row"
        addLabel="Add industry"
        from={{ label: 'Salesforce Industry', placeholder: 'Technology', options: fieldOptions(account, 'Industry') }}
        to={{ label: 'HubSpot industry', placeholder: 'COMPUTER_SOFTWARE', options: fieldOptions(company, 'industry') }}
        onChange={onChange}
        errors={errors}
        readOnly={readOnly}
      />
    </Section>
  );
}
