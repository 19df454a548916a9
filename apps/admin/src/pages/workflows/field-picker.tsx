import type { CrmFieldDto, CrmFieldOptionDto, CrmKind, MappingObjectDto } from '@conduit/contracts';
import { Autocomplete, Badge, Button, Group, Loader, TagsInput, Text, TextInput, type ComboboxItem, type ComboboxParsedItem, type MantineSize } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { isApiError } from '../../api/client';
import { useDiscoverFields } from '../../api/connections';
import { useDiscoveredFields } from '../../api/workflows';
import { errorMessage } from '../../components/error-state';
import { joinList, nameHint, optionHint, rankByNameAndLabel, splitList, type FieldCatalog } from './field-catalog';

/** Options shown at once; typing narrows the rest down. */
const LIMIT = 60;
const CRM_NAMES: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/**
 * The discovered fields of a CRM object (`contacts` is HubSpot contacts / Salesforce Lead, `companies` HubSpot
 * companies / Salesforce Account), read through the connections API the mapping dialog uses.
 */
export function useFieldCatalog(crm: CrmKind, object: MappingObjectDto, noun: string): FieldCatalog {
  const query = useDiscoveredFields(crm, object);
  const base = { noun, caseSensitive: crm === 'hubspot' };
  if (query.isPending) return { ...base, fields: undefined, loading: true, unavailable: null };
  if (query.isError) {
    const why = isApiError(query.error) && query.error.status === 404 ? `${CRM_NAMES[crm]} is not connected` : `${CRM_NAMES[crm]} fields could not be loaded (${errorMessage(query.error)})`;
    return { ...base, fields: undefined, loading: false, unavailable: why };
  }
  if (query.data.fields.length === 0) return { ...base, fields: undefined, loading: false, unavailable: `${CRM_NAMES[crm]} fields are not discovered yet` };
  return { ...base, fields: query.data.fields, loading: false, unavailable: null };
}

/**
 * Reads both CRMs' fields again (a property created in the CRM since the last discovery), for admins. The pickers
 * refresh with the mapping queries the discovery invalidates.
 */
export function RediscoverFields({ crms }: { crms: CrmKind[] }) {
  const discover = useDiscoverFields();
  const [done, setDone] = useState<string | null>(null);
  const run = async () => {
    setDone(null);
    const failed: string[] = [];
    for (const crm of crms) {
      try {
        await discover.mutateAsync(crm);
      } catch (err) {
        failed.push(`${CRM_NAMES[crm]}: ${errorMessage(err)}`);
      }
    }
    setDone(failed.length ? `Not re-read: ${failed.join('; ')}` : 'Fields re-read');
  };
  return (
    <Group gap="xs">
      <Button size="compact-xs" variant="subtle" leftSection={<IconRefresh size={12} />} loading={discover.isPending} onClick={() => void run()}>
        Re-discover fields
      </Button>
      {done && (
        <Text size="xs" c={done.startsWith('Not') ? 'red' : 'dimmed'} role="status">
          {done}
        </Text>
      )}
    </Group>
  );
}

function Hint({ hint }: { hint: { text: string; warning: boolean } | null }): ReactNode {
  if (!hint) return undefined;
  return (
    <Text span size="xs" c={hint.warning ? 'orange.8' : 'dimmed'} data-testid="picker-hint">
      {hint.text}
    </Text>
  );
}

function OptionLine({ label, name, badges }: { label: string; name: string; badges?: string[] }) {
  return (
    <Group gap={6} wrap="nowrap" justify="space-between" w="100%">
      <div style={{ minWidth: 0 }}>
        <Text size="sm" truncate>
          {label}
        </Text>
        {label !== name && (
          <Text size="xs" c="dimmed" ff="monospace" truncate>
            {name}
          </Text>
        )}
      </div>
      {badges?.map((b) => (
        <Badge key={b} size="xs" variant="light" color={b === 'custom' ? 'grape' : 'gray'}>
          {b}
        </Badge>
      ))}
    </Group>
  );
}

/** In a table cell (no label) the hint goes under the input, where it reads as a note on the value. */
const wrapperOrder = (label: string | undefined) => (label ? undefined : (['label', 'input', 'description', 'error'] as ('label' | 'input' | 'description' | 'error')[]));

/** Mantine's filter over flat (ungrouped) options, ranked by API name and label. */
function rankFilter(labelOf: (value: string) => string) {
  return ({ options, search, limit }: { options: ComboboxParsedItem[]; search: string; limit: number }): ComboboxParsedItem[] => {
    const flat = options.filter((o): o is ComboboxItem => 'value' in o);
    const items = flat.map((o) => ({ value: o.value, label: labelOf(o.value), option: o }));
    return rankByNameAndLabel(items, search, limit).map((i) => i.option);
  };
}

interface BaseProps {
  value: string;
  onChange: (value: string) => void;
  'aria-label'?: string;
  label?: string;
  description?: string;
  placeholder?: string;
  error?: string | undefined;
  disabled?: boolean;
  size?: MantineSize;
  maw?: number;
}

/**
 * A searchable picker of a CRM object's discovered fields (label + API name, custom fields marked). A name that is
 * not in the list can still be typed: it is kept, marked as not discovered, and the API decides on save.
 */
export function CrmFieldPicker({ catalog, writable = false, description, ...props }: BaseProps & { catalog: FieldCatalog; writable?: boolean }) {
  const offered = (catalog.fields ?? []).filter((f) => !writable || !f.readOnly);
  const byName = new Map<string, CrmFieldDto>(offered.map((f) => [f.name, f]));
  const hint = nameHint(catalog, props.value, { writable });
  return (
    <Autocomplete
      {...props}
      inputWrapperOrder={wrapperOrder(props.label)}
      description={hint ? <Hint hint={hint} /> : description}
      data={offered.map((f) => f.name)}
      filter={rankFilter((v) => byName.get(v)?.label ?? v)}
      limit={LIMIT}
      maxDropdownHeight={300}
      comboboxProps={{ width: 340, position: 'bottom-start' }}
      rightSection={catalog.loading ? <Loader size={12} /> : undefined}
      renderOption={({ option }) => {
        const f = byName.get(option.value);
        const badges = [f?.custom ? 'custom' : null, f?.options?.length ? 'options' : null].filter((b): b is string => b !== null);
        return <OptionLine label={f?.label ?? option.value} name={option.value} badges={badges} />;
      }}
    />
  );
}

/**
 * A value of an enumeration / picklist field: its options to pick from (label + value), any other value typed
 * stays (the API or the run refuses it with the reason). Without options it is a plain text input.
 */
export function OptionValuePicker({ options, description, ...props }: BaseProps & { options: readonly CrmFieldOptionDto[] }) {
  if (options.length === 0) {
    const { onChange, ...rest } = props;
    return <TextInput {...rest} description={description} inputWrapperOrder={wrapperOrder(props.label)} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
  const byValue = new Map(options.map((o) => [o.value, o]));
  const hint = optionHint(options, props.value);
  return (
    <Autocomplete
      {...props}
      inputWrapperOrder={wrapperOrder(props.label)}
      description={hint ? <Hint hint={hint} /> : description}
      data={[...byValue.keys()]}
      filter={rankFilter((v) => byValue.get(v)?.label ?? v)}
      limit={LIMIT}
      maxDropdownHeight={300}
      comboboxProps={{ width: 300, position: 'bottom-start' }}
      renderOption={({ option }) => <OptionLine label={byValue.get(option.value)?.label ?? option.value} name={option.value} />}
    />
  );
}

/**
 * Several values of a field (filters "is any of" / "is none of") as a comma-separated draft: tags picked from the
 * field's options when it has them, a plain "a, b" text input otherwise.
 */
export function OptionListPicker({ options, description, ...props }: BaseProps & { options: readonly CrmFieldOptionDto[] }) {
  const { value, onChange, ...rest } = props;
  if (options.length === 0) return <TextInput {...rest} description={description} inputWrapperOrder={wrapperOrder(props.label)} value={value} onChange={(e) => onChange(e.currentTarget.value)} />;
  const byValue = new Map(options.map((o) => [o.value, o]));
  const unknown = splitList(value).filter((v) => !byValue.has(v));
  return (
    <TagsInput
      {...rest}
      inputWrapperOrder={wrapperOrder(props.label)}
      description={unknown.length ? <Hint hint={{ text: `Not options: ${unknown.join(', ')}`, warning: true }} /> : description}
      value={splitList(value)}
      onChange={(items) => onChange(joinList(items))}
      data={[...byValue.keys()]}
      filter={rankFilter((v) => byValue.get(v)?.label ?? v)}
      limit={LIMIT}
      maxDropdownHeight={300}
      comboboxProps={{ width: 300, position: 'bottom-start' }}
      renderOption={({ option }) => <OptionLine label={byValue.get(option.value)?.label ?? option.value} name={option.value} />}
      acceptValueOnBlur
      clearable={false}
    />
  );
}
