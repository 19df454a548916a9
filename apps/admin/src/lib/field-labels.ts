/**
 * What a RevOps admin calls the fields the API names by key (`leadStatus`, `custom.tier`, `rows[2].crmField`): one
 * table for the whole admin, used by provenance, validation messages and previews. The API keeps its keys for
 * machines; only the admin turns them into words.
 */
const PERSON_FIELDS: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  jobTitle: 'Job title',
  city: 'City',
  country: 'Country',
  linkedinUrl: 'LinkedIn URL',
  companyName: 'Company name',
  companyId: 'Company',
  qualificationReasoning: 'Qualification reasoning',
  leadStatus: 'Lead status',
  engagementState: 'Engagement state',
  assignedUserId: 'Assigned to',
  customAttributes: 'Custom attributes',
};

const COMPANY_FIELDS: Record<string, string> = {
  name: 'Name',
  domain: 'Domain',
  website: 'Website',
  industry: 'Industry',
  employeeCount: 'Employee count',
  city: 'City',
  country: 'Country',
  customAttributes: 'Custom attributes',
};

/** Keys that read the same wherever they appear (forms other than people and companies). */
const COMMON_FIELDS: Record<string, string> = {
  password: 'Password',
  role: 'Role',
  description: 'Description',
  crmField: 'CRM field',
  conduitField: 'Conduit field',
  crmListIds: 'CRM lists',
  policy: 'Export policy',
  fallbackOwnerId: 'Fallback owner',
  contactSourceProperty: 'Contact source property',
  dailyShare: 'Daily share',
  windowShare: 'Rate window share',
  liveReserveShare: 'Live reserve',
  accountDailyLimit: 'Account daily limit',
  intervalMinutes: 'Sync interval',
  objects: 'Objects',
};

/** "tierLevel" → "Tier level", "lead_source" → "Lead source". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The label of a Conduit field key: standard fields by their label ("Lead status"), custom attributes by their key in
 * words ("Tier (custom attribute)"), nested and indexed paths by their last part ("rows[2].crmField" → "CRM field
 * (row 3)").
 */
export function fieldLabel(key: string, entity: 'person' | 'company' = 'person'): string {
  if (key.startsWith('custom.') || key.startsWith('customAttributes.')) return `${humanizeKey(key.slice(key.indexOf('.') + 1))} (custom attribute)`;
  const indexed = /^(.*)\[(\d+)\]\.?(.*)$/.exec(key);
  if (indexed) {
    const [, list = '', index = '0', rest = ''] = indexed;
    const row = `row ${Number(index) + 1}`;
    return rest ? `${fieldLabel(rest, entity)} (${row})` : `${fieldLabel(list, entity)}, ${row}`;
  }
  const last = key.includes('.') ? key.slice(key.lastIndexOf('.') + 1) : key;
  const own = entity === 'company' ? COMPANY_FIELDS : PERSON_FIELDS;
  return own[last] ?? COMMON_FIELDS[last] ?? humanizeKey(last);
}
