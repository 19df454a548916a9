import type { CrmFieldDto, CrmKind } from '@conduit/contracts';
import { Alert, Badge, Button, Group, Loader, Select, Stack, Text, TextInput, type ComboboxItem, type ComboboxParsedItem } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import { useContactSourceFields, useExportSettings, useSaveExportSettings } from '../../api/export';
import { errorMessage } from '../../components/error-state';
import { describeSubmitError } from '../../lib/form-errors';
import { RediscoverFields } from '../workflows/field-picker';

const CRM_NAMES: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };
const FORM_FIELDS = ['contactSource.crmField', 'contactSource.value'] as const;

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

/** Matches the search against a field's label and its API name ("lead source" finds LeadSource and hs_lead_source). */
export function matchesField(field: Pick<CrmFieldDto, 'name' | 'label'>, search: string): boolean {
  const q = squash(search);
  return q === '' || squash(field.label).includes(q) || squash(field.name).includes(q);
}

/** The value a newly picked enumeration starts with: its "Conduit" option when it has one, else nothing. */
export function defaultSourceValue(field: Pick<CrmFieldDto, 'options'> | undefined): string {
  const conduit = field?.options?.find((o) => squash(o.value) === 'conduit' || squash(o.label) === 'conduit');
  return conduit?.value ?? '';
}

/** "Lead source (Conduit) = Conduit": the saved stamp in labels, for the confirmation. */
export function describeStamp(field: CrmFieldDto | undefined, crmField: string, value: string): string {
  const option = field?.options?.find((o) => o.value === value);
  return `${field?.label ?? crmField} = ${option?.label ?? value}`;
}

/**
 * The contact-source stamp of exported records (e.g. Lead Source = Conduit): the property is picked from the
 * connection's discovered fields (labels shown, custom fields marked), the value from the property's options when it
 * is an enumeration. The API checks both again on save and names the field it refuses.
 */
export function ContactSourcePicker({ crm }: { crm: CrmKind }) {
  const settings = useExportSettings(crm);
  const catalog = useContactSourceFields(crm);
  const save = useSaveExportSettings(crm);
  const saved = settings.data?.contactSource ?? null;
  const [field, setField] = useState<string | null>(null);
  const [value, setValue] = useState('');
  useEffect(() => {
    setField(saved?.crmField ?? null);
    setValue(saved?.value ?? '');
  }, [saved?.crmField, saved?.value]);

  const fields = useMemo(() => catalog.data?.fields ?? [], [catalog.data]);
  const byName = useMemo(() => new Map(fields.map((f) => [f.name, f])), [fields]);
  const chosen = field ? byName.get(field) : undefined;
  // A saved property the CRM no longer has stays visible (marked) so the admin sees why exports refuse it.
  const data = useMemo(() => {
    const items = fields.map((f) => ({ value: f.name, label: f.label }));
    if (saved && !byName.has(saved.crmField) && catalog.data) items.unshift({ value: saved.crmField, label: `${saved.crmField} (not in ${CRM_NAMES[crm]})` });
    return items;
  }, [fields, byName, saved, catalog.data, crm]);

  const errors = save.error ? describeSubmitError(save.error, FORM_FIELDS) : null;
  const dirty = (field ?? '') !== (saved?.crmField ?? '') || (field ? value !== (saved?.value ?? '') : false);
  const objectName = catalog.data?.objectName ?? 'person';
  const crmName = CRM_NAMES[crm];

  const submit = () => {
    const body = field ? { contactSource: { crmField: field, value } } : { contactSource: null };
    save.mutate(body, {
      onSuccess: () =>
        notifications.show({ color: 'teal', title: 'Saved', message: field ? `Contact source: ${describeStamp(chosen, field, value)}` : 'Contact source cleared' }),
    });
  };

  if (catalog.isError) return <Alert color="red">{`${crmName} fields could not be loaded: ${errorMessage(catalog.error)}`}</Alert>;
  const undiscovered = catalog.data && catalog.data.fields.length === 0;

  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        Contact source
      </Text>
      <Text size="xs" c="dimmed">
        {`A ${crmName} ${objectName} property set on every record Conduit creates, so your team can tell where it came from.`}
      </Text>
      {undiscovered ? (
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {`${crmName} ${objectName} fields are not discovered yet.`}
          </Text>
          <RediscoverFields crms={[crm]} />
        </Group>
      ) : (
        <Group align="flex-start" gap="sm" wrap="wrap">
          <Select
            label="Property"
            placeholder={catalog.isPending ? 'Loading fields…' : 'Pick a property'}
            data={data}
            value={field}
            onChange={(next) => {
              setField(next);
              setValue(next ? defaultSourceValue(byName.get(next)) : '');
              save.reset();
            }}
            searchable
            clearable
            nothingFoundMessage="No property with that name"
            filter={({ options, search }: { options: ComboboxParsedItem[]; search: string }) =>
              options.filter((o): o is ComboboxItem => 'value' in o).filter((o) => matchesField({ name: o.value, label: o.label }, search))
            }
            renderOption={({ option }) => {
              const f = byName.get(option.value);
              return (
                <Group gap={6} wrap="nowrap" justify="space-between" w="100%">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm">{option.label}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {option.value}
                    </Text>
                  </div>
                  {f?.custom && (
                    <Badge size="xs" variant="light" color="grape">
                      custom
                    </Badge>
                  )}
                </Group>
              );
            }}
            rightSection={catalog.isPending ? <Loader size={12} /> : undefined}
            comboboxProps={{ width: 340, position: 'bottom-start' }}
            maxDropdownHeight={300}
            w={280}
            error={errors?.fieldErrors['contactSource.crmField']}
          />
          {chosen?.options?.length ? (
            <Select
              label="Value"
              placeholder="Pick a value"
              data={chosen.options.map((o) => ({ value: o.value, label: o.label }))}
              value={value || null}
              onChange={(next) => {
                setValue(next ?? '');
                save.reset();
              }}
              searchable
              allowDeselect={false}
              comboboxProps={{ width: 280, position: 'bottom-start' }}
              w={220}
              error={errors?.fieldErrors['contactSource.value']}
            />
          ) : (
            <TextInput
              label="Value"
              placeholder="Conduit"
              value={value}
              disabled={!field}
              onChange={(e) => {
                setValue(e.currentTarget.value);
                save.reset();
              }}
              w={220}
              error={errors?.fieldErrors['contactSource.value']}
            />
          )}
          <Button variant="default" mt={25} onClick={submit} loading={save.isPending} disabled={!dirty || (!!field && value.trim() === '')}>
            {field || !saved ? 'Save source' : 'Clear source'}
          </Button>
        </Group>
      )}
      {errors?.summary ? <Alert color="red">{errors.summary}</Alert> : null}
    </Stack>
  );
}
