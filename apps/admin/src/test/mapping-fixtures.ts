import type { ConnectionMappingDto, CrmFieldDto } from '@conduit/contracts';

/** A writable CRM field of a discovered mapping (a text field unless told custom). */
export const crmField = (name: string, label: string, custom = false): CrmFieldDto => ({ name, label, type: 'string', crmType: 'text', readOnly: false, custom });

/** A HubSpot contacts mapping with only email mapped (what the mapping dialog tests start from), with `over` applied. */
export function contactsMapping(over: Partial<ConnectionMappingDto> = {}): ConnectionMappingDto {
  return {
    crm: 'hubspot',
    isDefault: false,
    issues: [],
    missingFields: [],
    drift: null,
    discoveredAt: null,
    unmapped: [],
    object: 'contacts',
    crmObject: 'contacts',
    rows: [{ conduitField: 'email', crmField: 'email', importPriority: 'crm', exportBehaviour: 'fill_if_empty' }],
    conduitFields: [{ name: 'email', label: 'Email', type: 'email' }],
    fields: [crmField('email', 'Email')],
    ...over,
  };
}
