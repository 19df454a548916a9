import type { ObjectType } from './object-types.js';

export type PropertyType = 'string' | 'number' | 'enumeration' | 'datetime' | 'date' | 'bool' | 'phone_number';
export type FieldType =
  | 'text' | 'textarea' | 'html' | 'number' | 'select' | 'radio' | 'checkbox' | 'booleancheckbox'
  | 'date' | 'calculation_equation' | 'phonenumber' | 'file';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  formField: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean; readOnlyOptions?: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  /** Sandbox-only: integer-valued number property (INVALID_INTEGER instead of INVALID_DECIMAL). Not serialised. */
  integer?: boolean;
  /** Sandbox-only: required on create (engagement hs_timestamp). Not serialised. */
  requiredOnCreate?: boolean;
}

const DEFINED_AT = '2019-08-06T02:41:08.000Z';

interface Spec {
  label?: string;
  type?: PropertyType;
  fieldType?: FieldType;
  group?: string;
  options?: string[] | [string, string][];
  readOnly?: boolean;
  calculated?: boolean;
  custom?: boolean;
  integer?: boolean;
  unique?: boolean;
  required?: boolean;
  description?: string;
}

function titleCase(name: string): string {
  return name.replace(/^hs_/, '').split('_').map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join(' ');
}

function fieldTypeFor(type: PropertyType, spec: Spec): FieldType {
  if (spec.fieldType !== undefined) return spec.fieldType;
  if (spec.calculated) return 'calculation_equation';
  switch (type) {
    case 'string': return 'text';
    case 'number': return 'number';
    case 'enumeration': return 'select';
    case 'datetime': return 'date';
    case 'date': return 'date';
    case 'bool': return 'booleancheckbox';
    case 'phone_number': return 'phonenumber';
  }
}

export function makeOptions(values: string[] | [string, string][]): PropertyOption[] {
  return values.map((v, i) => {
    const [value, label] = Array.isArray(v) ? v : [v, titleCase(v.toLowerCase())];
    return { label, value, displayOrder: i, hidden: false };
  });
}

export function defineProperty(name: string, spec: Spec = {}, order = 0): PropertyDefinition {
  const type = spec.type ?? (spec.options ? 'enumeration' : 'string');
  const custom = spec.custom ?? false;
  return {
    name,
    label: spec.label ?? titleCase(name),
    type,
    fieldType: fieldTypeFor(type, spec),
    groupName: spec.group ?? (custom ? 'conduit' : 'contactinformation'),
    description: spec.description ?? '',
    options: spec.options ? makeOptions(spec.options) : type === 'bool' ? makeOptions([['true', 'Yes'], ['false', 'No']]) : [],
    displayOrder: custom ? -1 : order,
    calculated: spec.calculated ?? false,
    externalOptions: false,
    hasUniqueValue: spec.unique ?? false,
    hidden: false,
    hubspotDefined: !custom,
    formField: !(spec.readOnly ?? false),
    modificationMetadata: {
      archivable: custom,
      readOnlyDefinition: !custom,
      readOnlyValue: spec.readOnly ?? spec.calculated ?? false,
    },
    createdAt: DEFINED_AT,
    updatedAt: DEFINED_AT,
    archived: false,
    ...(spec.integer ? { integer: true } : {}),
    ...(spec.required ? { requiredOnCreate: true } : {}),
  };
}

/** HubSpot's real option values. */
export const LIFECYCLE_STAGES: [string, string][] = [
  ['subscriber', 'Subscriber'], ['lead', 'Lead'], ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'], ['opportunity', 'Opportunity'], ['customer', 'Customer'],
  ['evangelist', 'Evangelist'], ['other', 'Other'],
];
export const LEAD_STATUSES: [string, string][] = [
  ['NEW', 'New'], ['OPEN', 'Open'], ['IN_PROGRESS', 'In Progress'], ['OPEN_DEAL', 'Open Deal'],
  ['UNQUALIFIED', 'Unqualified'], ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'], ['CONNECTED', 'Connected'],
  ['BAD_TIMING', 'Bad Timing'],
];
export const DEAL_STAGES: [string, string][] = [
  ['appointmentscheduled', 'Appointment Scheduled'], ['qualifiedtobuy', 'Qualified To Buy'],
  ['presentationscheduled', 'Presentation Scheduled'], ['decisionmakerboughtin', 'Decision Maker Bought-In'],
  ['contractsent', 'Contract Sent'], ['closedwon', 'Closed Won'], ['closedlost', 'Closed Lost'],
];
export const INDUSTRIES: string[] = [
  'COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'INTERNET', 'FINANCIAL_SERVICES', 'MARKETING_AND_ADVERTISING',
  'HOSPITAL_HEALTH_CARE', 'LOGISTICS_AND_SUPPLY_CHAIN', 'MANAGEMENT_CONSULTING', 'RETAIL', 'EDUCATION_MANAGEMENT',
  'AUTOMOTIVE', 'TELECOMMUNICATIONS', 'REAL_ESTATE', 'RENEWABLES_ENVIRONMENT', 'INSURANCE',
];
const NUM_EMPLOYEES = ['1-5', '5-25', '25-50', '50-100', '100-500', '500-1000', '1000+'];

const ANALYTICS_SOURCES = ['ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS', 'OTHER_CAMPAIGNS',
  'DIRECT_TRAFFIC', 'OFFLINE', 'PAID_SOCIAL', 'AI_REFERRALS'];

const CONTACT_SPECS: [string, Spec][] = [
  // Identity and contact information
  ['email', { label: 'Email', unique: false }], ['firstname', { label: 'First Name' }], ['lastname', { label: 'Last Name' }],
  ['salutation', {}], ['phone', { label: 'Phone Number', type: 'phone_number' }],
  ['mobilephone', { label: 'Mobile Phone Number', type: 'phone_number' }], ['fax', { label: 'Fax Number' }],
  ['company', { label: 'Company Name' }], ['jobtitle', { label: 'Job Title' }], ['website', { label: 'Website URL' }],
  ['address', { label: 'Street Address' }], ['city', {}], ['state', { label: 'State/Region' }],
  ['zip', { label: 'Postal Code' }], ['country', { label: 'Country/Region' }], ['industry', {}],
  ['annualrevenue', { label: 'Annual Revenue' }], ['numemployees', { label: 'Number of Employees', options: NUM_EMPLOYEES }],
  ['message', { fieldType: 'textarea' }], ['twitterhandle', { label: 'Twitter Username' }],
  ['hs_linkedinid', { label: 'LinkedIn ID', readOnly: true }], ['work_email', {}],
  ['date_of_birth', {}], ['degree', {}], ['field_of_study', {}], ['school', {}], ['graduation_date', {}],
  ['gender', {}], ['marital_status', {}], ['military_status', {}], ['hs_whatsapp_phone_number', { type: 'phone_number' }],
  ['hs_additional_emails', { fieldType: 'checkbox', readOnly: true, type: 'enumeration' }],
  ['hs_language', { label: 'Preferred language', options: [['en', 'English'], ['de', 'German'], ['fr', 'French'], ['es', 'Spanish'], ['nl', 'Dutch'], ['it', 'Italian']] }],
  ['hs_timezone', { label: 'Time Zone', options: [['europe_slash_berlin', 'Europe/Berlin'], ['europe_slash_london', 'Europe/London'], ['america_slash_new_york', 'America/New_York'], ['america_slash_los_angeles', 'America/Los_Angeles'], ['europe_slash_paris', 'Europe/Paris']] }],
  ['hs_role', { options: ['engineering', 'sales', 'marketing', 'finance', 'operations', 'human_resources', 'product', 'executive'] }],
  ['hs_seniority', { options: ['owner', 'executive', 'vp', 'director', 'manager', 'senior', 'employee', 'entry'] }],
  ['hs_persona', { options: [['persona_1', 'Decision Maker'], ['persona_2', 'Champion'], ['persona_3', 'End User']] }],
  ['hs_buying_role', { fieldType: 'checkbox', options: ['BUDGET_HOLDER', 'CHAMPION', 'DECISION_MAKER', 'END_USER', 'EXECUTIVE_SPONSOR', 'INFLUENCER', 'LEGAL_AND_COMPLIANCE', 'OTHER'] }],
  ['hs_legal_basis', { fieldType: 'checkbox', options: ['Legitimate interest – prospect/lead', 'Legitimate interest - existing customer', 'Performance of a contract', 'Freely given consent from contact'] }],
  // Sales
  ['lifecyclestage', { label: 'Lifecycle Stage', options: LIFECYCLE_STAGES, fieldType: 'radio', group: 'contactinformation' }],
  ['hs_lead_status', { label: 'Lead Status', options: LEAD_STATUSES, fieldType: 'radio', group: 'sales_properties' }],
  ['hubspot_owner_id', { label: 'Contact owner', type: 'enumeration', group: 'sales_properties' }],
  ['hubspot_owner_assigneddate', { type: 'datetime', readOnly: true, group: 'sales_properties' }],
  ['hubspot_team_id', { type: 'enumeration', readOnly: true, group: 'sales_properties' }],
  ['hs_all_owner_ids', { type: 'enumeration', fieldType: 'checkbox', readOnly: true }],
  ['associatedcompanyid', { label: 'Primary Associated Company ID', type: 'number', integer: true }],
  ['closedate', { label: 'Close Date', type: 'datetime' }],
  ['hs_pipeline', { options: [['contacts-lifecycle-pipeline', 'Lifecycle Stage Pipeline']] }],
  // Set by HubSpot from subscription changes (communication preferences API, preference pages), never by a CRM write.
  ['hs_email_optout', { label: 'Unsubscribed from all email', type: 'bool', readOnly: true, group: 'emailinformation' }],
  ['hs_email_optout_1001', { label: 'Opted out of email: Marketing Information', type: 'bool', readOnly: true, group: 'emailinformation' }],
  ['hs_email_optout_1002', { label: 'Opted out of email: One to One', type: 'bool', readOnly: true, group: 'emailinformation' }],
  ['hs_email_optout_1003', { label: 'Opted out of email: Customer Service Communication', type: 'bool', readOnly: true, group: 'emailinformation' }],
  // Set by HubSpot when one of its sends hard-bounces (the enum's values are not documented; these are its bounce categories).
  ['hs_email_hard_bounce_reason_enum', { label: 'Email hard bounce reason', readOnly: true, group: 'emailinformation', options: ['UNKNOWN_USER', 'MAILBOX_FULL', 'CONTENT', 'SPAM', 'POLICY', 'DMARC', 'OTHER'] }],
  ['hs_email_hard_bounce_reason', { label: 'Email hard bounce reason', readOnly: true, group: 'emailinformation' }],
  ['hs_email_bad_address', { label: 'Invalid email address', type: 'bool', readOnly: true, group: 'emailinformation' }],
  ['hs_marketable_status', { options: [['true', 'Marketing contact'], ['false', 'Non-marketing contact']], readOnly: true }],
  ['hs_content_membership_status', { options: ['active', 'inactive'] }],
  ['hs_emailconfirmationstatus', {}], ['hs_facebook_click_id', {}], ['hs_google_click_id', {}],
  ['currentlyinworkflow', { type: 'enumeration', options: [['true', 'Yes'], ['false', 'No']], readOnly: true }],
  ['followercount', { type: 'number', integer: true, readOnly: true }],
  // System and calculated (read-only)
  ['hs_object_id', { label: 'Record ID', type: 'number', readOnly: true }],
  ['createdate', { label: 'Create Date', type: 'datetime' }],
  ['lastmodifieddate', { label: 'Last Modified Date', type: 'datetime', readOnly: true }],
  ['hs_email_domain', { calculated: true, readOnly: true, type: 'string' }],
  ['hs_is_contact', { type: 'bool', readOnly: true, calculated: true }],
  ['hs_is_unworked', { type: 'bool', readOnly: true, calculated: true }],
  ['hs_object_source', { readOnly: true }], ['hs_object_source_id', { readOnly: true }],
  ['hs_object_source_label', { readOnly: true, options: ['INTEGRATION', 'CRM_UI', 'IMPORT', 'FORM', 'API'] }],
  ['hs_object_source_user_id', { type: 'number', readOnly: true }],
  ['hs_created_by_user_id', { type: 'number', readOnly: true }], ['hs_updated_by_user_id', { type: 'number', readOnly: true }],
  ['hs_was_imported', { type: 'bool', readOnly: true }],
  ['hs_calculated_phone_number', { readOnly: true, calculated: true }], ['hs_calculated_mobile_number', { readOnly: true, calculated: true }],
  ['hs_searchable_calculated_phone_number', { readOnly: true, calculated: true }],
  ['ip_city', { readOnly: true }], ['ip_country', { readOnly: true }], ['ip_state', { readOnly: true }],
  ['hs_analytics_source', { label: 'Original Source', options: ANALYTICS_SOURCES, readOnly: true, group: 'analyticsinformation' }],
  ['hs_latest_source', { options: ANALYTICS_SOURCES, readOnly: true, group: 'analyticsinformation' }],
  ['hs_analytics_source_data_1', { readOnly: true, group: 'analyticsinformation' }],
  ['hs_analytics_source_data_2', { readOnly: true, group: 'analyticsinformation' }],
  ['hs_analytics_num_page_views', { type: 'number', readOnly: true, group: 'analyticsinformation' }],
  ['hs_analytics_num_visits', { type: 'number', readOnly: true, group: 'analyticsinformation' }],
  ['hs_analytics_first_timestamp', { type: 'datetime', readOnly: true, group: 'analyticsinformation' }],
  ['hs_analytics_last_timestamp', { type: 'datetime', readOnly: true, group: 'analyticsinformation' }],
  ['hs_analytics_first_url', { readOnly: true, group: 'analyticsinformation' }],
  ['hs_analytics_last_url', { readOnly: true, group: 'analyticsinformation' }],
  ['first_conversion_date', { type: 'datetime', readOnly: true, group: 'conversioninformation' }],
  ['first_conversion_event_name', { readOnly: true, group: 'conversioninformation' }],
  ['recent_conversion_date', { type: 'datetime', readOnly: true, group: 'conversioninformation' }],
  ['recent_conversion_event_name', { readOnly: true, group: 'conversioninformation' }],
  ['num_conversion_events', { type: 'number', readOnly: true, group: 'conversioninformation' }],
  ['num_unique_conversion_events', { type: 'number', readOnly: true, group: 'conversioninformation' }],
  ['num_associated_deals', { type: 'number', readOnly: true, calculated: true, group: 'deal_information' }],
  ['recent_deal_amount', { type: 'number', readOnly: true, group: 'deal_information' }],
  ['recent_deal_close_date', { type: 'datetime', readOnly: true, group: 'deal_information' }],
  ['total_revenue', { type: 'number', readOnly: true, group: 'deal_information' }],
  ['first_deal_created_date', { type: 'datetime', readOnly: true, group: 'deal_information' }],
  ['days_to_close', { type: 'number', readOnly: true, calculated: true, group: 'deal_information' }],
  ['num_contacted_notes', { type: 'number', readOnly: true, group: 'sales_properties' }],
  ['num_notes', { type: 'number', readOnly: true, group: 'sales_properties' }],
  ['notes_last_contacted', { type: 'datetime', readOnly: true, group: 'sales_properties' }],
  ['notes_last_updated', { type: 'datetime', readOnly: true, group: 'sales_properties' }],
  ['notes_next_activity_date', { type: 'datetime', readOnly: true, group: 'sales_properties' }],
  ['hs_last_sales_activity_timestamp', { type: 'datetime', readOnly: true, group: 'sales_properties' }],
  ['hs_sales_email_last_replied', { type: 'datetime', readOnly: true, group: 'sales_properties' }],
  ['hs_sales_email_last_opened', { type: 'datetime', readOnly: true, group: 'sales_properties' }],
  ['hs_sales_email_last_clicked', { type: 'datetime', readOnly: true, group: 'sales_properties' }],
  ['hs_first_outreach_date', { type: 'datetime', readOnly: true, group: 'sales_properties' }],
  ['hs_sequences_is_enrolled', { type: 'bool', readOnly: true, group: 'sales_properties' }],
  ['hs_sequences_actively_enrolled_count', { type: 'number', readOnly: true, group: 'sales_properties' }],
  ['hs_sequences_enrolled_count', { type: 'number', readOnly: true, group: 'sales_properties' }],
  ['hs_latest_sequence_enrolled', { type: 'number', readOnly: true, group: 'sales_properties' }],
  ['hs_email_bounce', { type: 'number', readOnly: true, group: 'emailinformation' }],
  ['hs_email_open', { type: 'number', readOnly: true, group: 'emailinformation' }],
  ['hs_email_click', { type: 'number', readOnly: true, group: 'emailinformation' }],
  ['hs_email_delivered', { type: 'number', readOnly: true, group: 'emailinformation' }],
  ['hs_email_last_send_date', { type: 'datetime', readOnly: true, group: 'emailinformation' }],
  ['hubspotscore', { label: 'HubSpot Score', type: 'number', readOnly: true }],
  ['hs_predictivecontactscore_v2', { type: 'number', readOnly: true }],
  ['hs_predictivescoringtier', { options: ['tier_1', 'tier_2', 'tier_3', 'tier_4', 'closed_won', 'closed_lost'], readOnly: true }],
  ['hs_time_in_lead', { type: 'number', readOnly: true, calculated: true }],
  ['hs_lifecyclestage_subscriber_date', { type: 'datetime', readOnly: true }],
  ['hs_lifecyclestage_lead_date', { type: 'datetime', readOnly: true }],
  ['hs_lifecyclestage_marketingqualifiedlead_date', { type: 'datetime', readOnly: true }],
  ['hs_lifecyclestage_salesqualifiedlead_date', { type: 'datetime', readOnly: true }],
  ['hs_lifecyclestage_opportunity_date', { type: 'datetime', readOnly: true }],
  ['hs_lifecyclestage_customer_date', { type: 'datetime', readOnly: true }],
  ['hs_lifecyclestage_evangelist_date', { type: 'datetime', readOnly: true }],
  ['hs_lifecyclestage_other_date', { type: 'datetime', readOnly: true }],
  // Custom properties a Conduit portal would have
  ['conduit_qualification_reasoning', { custom: true, label: 'Conduit qualification reasoning', fieldType: 'textarea' }],
  ['conduit_score', { custom: true, label: 'Conduit score', type: 'number' }],
  ['linkedin_url', { custom: true, label: 'LinkedIn URL' }],
  ['conduit_personalized_opener', { custom: true, label: 'Conduit personalized opener', fieldType: 'textarea' }],
  ['conduit_sequence_status', { custom: true, label: 'Conduit sequence status', options: [['not_enrolled', 'Not enrolled'], ['active', 'Active'], ['replied', 'Replied'], ['finished', 'Finished'], ['bounced', 'Bounced']] }],
  ['conduit_intent_signals', { custom: true, label: 'Conduit intent signals', fieldType: 'checkbox', options: [['hiring', 'Hiring'], ['funding', 'Funding'], ['tech_change', 'Tech change'], ['website_visit', 'Website visit']] }],
  ['conduit_last_synced_at', { custom: true, label: 'Conduit last synced at', type: 'datetime' }],
];

const COMPANY_SPECS: [string, Spec][] = [
  ['name', { label: 'Company name' }], ['domain', { label: 'Company Domain Name' }], ['website', { label: 'Website URL' }],
  ['industry', { options: INDUSTRIES }], ['phone', { type: 'phone_number' }], ['address', {}], ['city', {}], ['state', {}],
  ['zip', {}], ['country', {}], ['timezone', {}], ['description', { fieldType: 'textarea' }],
  ['numberofemployees', { type: 'number', integer: true }], ['annualrevenue', { type: 'number' }],
  ['founded_year', {}], ['linkedin_company_page', {}],
  ['type', { options: ['PROSPECT', 'PARTNER', 'RESELLER', 'VENDOR', 'OTHER'] }],
  ['lifecyclestage', { options: LIFECYCLE_STAGES, fieldType: 'radio' }],
  ['hs_lead_status', { options: LEAD_STATUSES, fieldType: 'radio' }],
  ['hubspot_owner_id', { type: 'enumeration' }], ['closedate', { type: 'datetime' }],
  ['hs_object_id', { type: 'number', readOnly: true }], ['createdate', { type: 'datetime' }],
  ['hs_lastmodifieddate', { type: 'datetime', readOnly: true }],
  ['num_associated_contacts', { type: 'number', readOnly: true, calculated: true }],
  ['num_associated_deals', { type: 'number', readOnly: true, calculated: true }],
  ['hs_num_open_deals', { type: 'number', readOnly: true, calculated: true }],
  ['total_revenue', { type: 'number', readOnly: true }], ['first_deal_created_date', { type: 'datetime', readOnly: true }],
];

const DEAL_SPECS: [string, Spec][] = [
  ['dealname', { label: 'Deal Name' }], ['amount', { type: 'number' }],
  ['dealstage', { label: 'Deal Stage', options: DEAL_STAGES }], ['pipeline', { options: [['default', 'Sales Pipeline']] }],
  ['closedate', { type: 'datetime' }], ['dealtype', { options: [['newbusiness', 'New Business'], ['existingbusiness', 'Existing Business']] }],
  ['hubspot_owner_id', { type: 'enumeration' }], ['description', { fieldType: 'textarea' }],
  ['hs_priority', { options: [['low', 'Low'], ['medium', 'Medium'], ['high', 'High']] }],
  ['hs_object_id', { type: 'number', readOnly: true }], ['createdate', { type: 'datetime' }],
  ['hs_lastmodifieddate', { type: 'datetime', readOnly: true }],
  ['hs_is_closed', { type: 'bool', readOnly: true, calculated: true }], ['hs_is_closed_won', { type: 'bool', readOnly: true, calculated: true }],
  ['hs_deal_stage_probability', { type: 'number', readOnly: true, calculated: true }],
  ['num_associated_contacts', { type: 'number', readOnly: true, calculated: true }],
];

const ENGAGEMENT_COMMON: [string, Spec][] = [
  ['hs_timestamp', { type: 'datetime', required: true, label: 'Activity date' }], ['hubspot_owner_id', { type: 'enumeration' }],
  ['hs_attachment_ids', { type: 'enumeration', fieldType: 'checkbox' }],
  ['hs_object_id', { type: 'number', readOnly: true }], ['hs_createdate', { type: 'datetime', readOnly: true }],
  ['hs_lastmodifieddate', { type: 'datetime', readOnly: true }], ['hs_body_preview', { readOnly: true, calculated: true }],
];

const ENGAGEMENT_SPECS: Record<'emails' | 'calls' | 'meetings' | 'notes' | 'tasks' | 'communications', [string, Spec][]> = {
  emails: [['hs_email_subject', {}], ['hs_email_text', { fieldType: 'textarea' }], ['hs_email_html', { fieldType: 'html' }],
    ['hs_email_direction', { options: ['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL'] }],
    ['hs_email_status', { options: ['BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT'] }],
    ['hs_email_headers', { fieldType: 'textarea' }], ['hs_email_from_email', {}], ['hs_email_to_email', {}]],
  calls: [['hs_call_title', {}], ['hs_call_body', { fieldType: 'textarea' }], ['hs_call_direction', { options: ['INBOUND', 'OUTBOUND'] }],
    ['hs_call_duration', { type: 'number', integer: true }],
    ['hs_call_status', { options: ['BUSY', 'CALLING_CRM_USER', 'CANCELED', 'COMPLETED', 'CONNECTING', 'FAILED', 'IN_PROGRESS', 'NO_ANSWER', 'QUEUED', 'RINGING'] }],
    ['hs_call_disposition', {}], ['hs_call_recording_url', {}], ['hs_call_from_number', {}], ['hs_call_to_number', {}]],
  meetings: [['hs_meeting_title', {}], ['hs_meeting_body', { fieldType: 'textarea' }], ['hs_internal_meeting_notes', { fieldType: 'textarea' }],
    ['hs_meeting_external_url', {}], ['hs_meeting_location', {}], ['hs_meeting_start_time', { type: 'datetime' }],
    ['hs_meeting_end_time', { type: 'datetime' }],
    ['hs_meeting_outcome', { options: ['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED'] }]],
  notes: [['hs_note_body', { fieldType: 'textarea' }]],
  tasks: [['hs_task_subject', {}], ['hs_task_body', { fieldType: 'textarea' }],
    ['hs_task_status', { options: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'] }],
    ['hs_task_priority', { options: ['NONE', 'LOW', 'MEDIUM', 'HIGH'] }],
    ['hs_task_type', { options: ['CALL', 'EMAIL', 'LINKED_IN', 'MEETING', 'LINKED_IN_CONNECT', 'LINKED_IN_MESSAGE', 'TODO'] }],
    ['hs_task_completion_date', { type: 'datetime', readOnly: true }], ['hs_task_reminders', {}]],
  communications: [['hs_communication_channel_type', { options: ['SMS', 'WHATS_APP', 'LINKEDIN_MESSAGE', 'PHYSICAL_MAIL', 'CUSTOM_CHANNEL_CONVERSATION'] }],
    ['hs_communication_logged_from', { options: ['CRM'] }], ['hs_communication_body', { fieldType: 'textarea' }]],
};

/** Fresh property definitions for one object type (each call returns new objects, so custom edits stay per portal). */
export function defaultProperties(type: ObjectType): PropertyDefinition[] {
  const group = type === 'contacts' ? undefined : `${type.replace(/s$/, '').replace(/ie$/, 'y')}information`;
  let specs: [string, Spec][];
  switch (type) {
    case 'contacts': specs = CONTACT_SPECS; break;
    case 'companies': specs = COMPANY_SPECS; break;
    case 'deals': specs = DEAL_SPECS; break;
    case 'emails': case 'calls': case 'meetings': case 'notes': case 'tasks': case 'communications':
      specs = [...ENGAGEMENT_COMMON, ...ENGAGEMENT_SPECS[type]];
      break;
  }
  return specs.map(([name, spec], i) =>
    defineProperty(name, group !== undefined && spec.group === undefined && !spec.custom ? { ...spec, group } : spec, i));
}

/** The public JSON of a definition (sandbox-only flags removed). */
export function serializeProperty(def: PropertyDefinition): Omit<PropertyDefinition, 'integer' | 'requiredOnCreate'> {
  const { integer: _integer, requiredOnCreate: _required, ...rest } = def;
  return rest;
}

export interface PropertyValueError {
  name: string;
  code: string;
  message: string;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER_RE = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Parse a HubSpot datetime input (epoch ms or ISO 8601) to epoch ms. */
export function parseDateTime(value: string): number | undefined {
  if (/^-?\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Validate and normalise one written value the way HubSpot does. Returns the stored
 * string (datetimes become ISO 8601, dates YYYY-MM-DD) or an error.
 */
export function normalizeValue(def: PropertyDefinition, raw: string): { value: string } | { error: PropertyValueError } {
  if (raw === '') return { value: '' };
  const fail = (code: string, message: string): { error: PropertyValueError } => ({ error: { name: def.name, code, message } });
  switch (def.type) {
    case 'string':
    case 'phone_number':
      if (def.name === 'email' || def.name === 'work_email') {
        if (!EMAIL_RE.test(raw)) return fail('INVALID_EMAIL', `Email address ${raw} is invalid`);
        return { value: raw.trim() };
      }
      return { value: raw };
    case 'number': {
      const trimmed = raw.trim();
      if (!NUMBER_RE.test(trimmed)) {
        return def.integer
          ? fail('INVALID_INTEGER', `${raw} is not a valid integer`)
          : fail('INVALID_DECIMAL', `${raw} is not a valid decimal`);
      }
      if (def.integer && !Number.isInteger(Number(trimmed))) return fail('INVALID_INTEGER', `${raw} is not a valid integer`);
      return { value: trimmed };
    }
    case 'bool':
      if (raw !== 'true' && raw !== 'false') return fail('INVALID_BOOLEAN', `${raw} is not a valid boolean, expected true or false`);
      return { value: raw };
    case 'datetime': {
      const ms = parseDateTime(raw);
      if (ms === undefined) return fail('INVALID_DATETIME', `${raw} is not a valid datetime`);
      return { value: new Date(ms).toISOString() };
    }
    case 'date': {
      const ms = parseDateTime(raw);
      if (ms === undefined) return fail('INVALID_DATE', `${raw} is not a valid date`);
      if (ms % 86_400_000 !== 0) return fail('INVALID_DATE', `${raw} is at ${new Date(ms).toISOString()} which is not midnight`);
      return { value: new Date(ms).toISOString().slice(0, 10) };
    }
    case 'enumeration': {
      // Owner ids and other externally-sourced options are not validated against options.
      if (def.options.length === 0) return { value: raw };
      const allowed = new Set(def.options.map((o) => o.value));
      const parts = def.fieldType === 'checkbox' ? raw.split(';') : [raw];
      const bad = parts.find((p) => !allowed.has(p));
      if (bad !== undefined) {
        return fail('INVALID_OPTION', `${bad} was not one of the allowed options: [${def.options.map((o) => o.value).join(', ')}]`);
      }
      return { value: raw };
    }
  }
}
