/** CRM connections: the shapes the admin console and the API share (Settings → Integrations). */

export const CRM_KINDS = ['hubspot', 'salesforce'] as const;
export type CrmKind = (typeof CRM_KINDS)[number];

/** `not_connected`: no row. `needs_reconnect`: the CRM revoked the refresh token; an admin must connect again. */
export type ConnectionState = 'not_connected' | 'connected' | 'needs_reconnect';

/** ok; expiring (the access token ends within minutes and no refresh has happened yet); needs_reconnect. */
export type TokenHealth = 'ok' | 'expiring' | 'needs_reconnect';

/** Objects a mapping is kept for. Activities come with the sync issue. */
export const MAPPING_OBJECTS = ['contacts', 'companies'] as const;
export type MappingObjectDto = (typeof MAPPING_OBJECTS)[number];

export type ImportPriorityDto = 'crm' | 'conduit';
export type ExportBehaviourDto = 'fill_if_empty' | 'overwrite' | 'do_not_export';

export interface CrmFieldOptionDto {
  value: string;
  label: string;
}

/** A discovered CRM field (HubSpot property / Salesforce describe field). */
export interface CrmFieldDto {
  name: string;
  label: string;
  type: string;
  crmType: string;
  options?: CrmFieldOptionDto[];
  /** Values outside `options` are refused (restricted Salesforce picklists): export preflight checks them. */
  restricted?: boolean;
  /** HubSpot checkbox enumerations: several ';'-separated values. */
  multiValued?: boolean;
  length?: number;
  readOnly: boolean;
  required?: boolean;
  custom: boolean;
}

/** What changed in one CRM object's fields between two discoveries. */
export interface FieldDriftDto {
  added: string[];
  removed: string[];
  /** Fields whose type or options changed, with a short description of each change. */
  changed: Array<{ name: string; changes: string[] }>;
}

export interface ObjectDiscoveryDto {
  /** The CRM's own object name: contacts / companies (HubSpot), Lead / Contact / Account (Salesforce). */
  object: string;
  fieldCount: number;
  customFieldCount: number;
  discoveredAt: string;
  /** The last drift found (kept until a later discovery finds another), or null when nothing ever changed. */
  drift: FieldDriftDto | null;
  driftDetectedAt: string | null;
}

export interface ConnectionDto {
  /** The connection's id (null while not connected): sync settings, runs and mapping previews are addressed by it. */
  id: string | null;
  crm: CrmKind;
  state: ConnectionState;
  /** HubSpot portal id / Salesforce org id. */
  accountId: string | null;
  /** HubSpot hub domain or portal id / Salesforce org (user name) — what the admin recognises. */
  accountName: string | null;
  /** Salesforce instance URL. */
  instanceUrl: string | null;
  connectedBy: { id: string; name: string } | null;
  connectedAt: string | null;
  scopes: string[];
  tokenHealth: TokenHealth | null;
  tokenExpiresAt: string | null;
  /** Why the connection needs attention (e.g. the CRM revoked access). */
  lastError: string | null;
  lastDiscoveryAt: string | null;
  discovery: ObjectDiscoveryDto[];
  /** Set while the CRM keeps failing Conduit's calls (5xx, no answer): since when, how often, its last answer in words. */
  health: ConnectionHealthDto | null;
}

export interface ConnectionHealthDto {
  /** The first failure since the CRM last answered a call well. */
  failingSince: string;
  lastFailureAt: string;
  /** "HubSpot answered 500: internal error" */
  lastError: string;
  /** Calls that failed since failingSince (each retry counts). */
  failures: number;
}

export interface AuthorizeConnectionResponse {
  /** The CRM consent page to send the browser to. */
  url: string;
}

/** `?error=` codes the OAuth callback sends back to /settings/integrations. */
export const CONNECTION_ERROR_CODES = [
  'access_denied',
  'invalid_state',
  'state_expired',
  'state_replayed',
  'session_mismatch',
  'exchange_failed',
  'already_connected_elsewhere',
] as const;
export type ConnectionErrorCode = (typeof CONNECTION_ERROR_CODES)[number];

export interface MappingRowDto {
  /** A Person/Company field (`firstName`) or a custom attribute (`custom.<key>`). */
  conduitField: string;
  crmField: string;
  importPriority: ImportPriorityDto;
  exportBehaviour: ExportBehaviourDto;
  /**
   * Fields with a fixed Conduit vocabulary (`vocabulary` on the Conduit field): CRM option value → Conduit value,
   * applied on import. In answers: the saved map completed with Conduit's suggestions for the field's options. In a
   * save: the admin's map ('' leaves an option unmapped); null or absent = Conduit's suggestions.
   */
  valueMap?: Record<string, string> | null;
}

export interface ConduitFieldDto {
  name: string;
  label: string;
  type: string;
  /** The values Conduit stores for this field (lead status, industry); absent for free values. */
  vocabulary?: string[];
}

/** Incoming values of a fixed-vocabulary field the value map does not translate (the field was left alone). */
export interface UnmappedValueDto {
  conduitField: string;
  crmField: string;
  /** The CRM's option value, and its label when the field has one. */
  crmValue: string;
  crmLabel: string | null;
  /** CRM records that hold it. */
  records: number;
}

/** Where a Conduit field's value comes from when several CRMs are connected. */
export const FIELD_SOURCES = ['hubspot', 'salesforce', 'latest', 'conduit'] as const;
export type FieldSourceDto = (typeof FIELD_SOURCES)[number];
export const OTHER_SOURCES_POLICIES = ['fill_blanks', 'never'] as const;
export type OtherSourcesPolicyDto = (typeof OTHER_SOURCES_POLICIES)[number];

export interface FieldSourceRuleDto {
  conduitField: string;
  /** Field label (First name, Lead status). */
  label: string;
  source: FieldSourceDto;
  others: OtherSourcesPolicyDto;
  /** No choice saved: the default (the first connected CRM, others fill blanks). */
  isDefault: boolean;
  /** The connected CRMs whose mapping imports this field. */
  mappedBy: CrmKind[];
}

/** GET /mapping/source-of-truth/:object — applies when two or more CRMs are connected. */
export interface SourceOfTruthDto {
  object: MappingObjectDto;
  /** Connected CRMs, first connected first (the default source). */
  connected: CrmKind[];
  /** Whether the rules apply now (two or more CRMs connected); with one, each row's import priority applies. */
  active: boolean;
  fields: FieldSourceRuleDto[];
}

export interface UpdateSourceOfTruthBody {
  rules: { conduitField: string; source: FieldSourceDto; others: OtherSourcesPolicyDto }[];
}

export interface MappingIssueDto {
  rowIndex: number | null;
  field: string;
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

export interface ConnectionMappingDto {
  crm: CrmKind;
  object: MappingObjectDto;
  /** The CRM object the rows write to (contacts, Lead, companies, Account). */
  crmObject: string;
  rows: MappingRowDto[];
  isDefault: boolean;
  conduitFields: ConduitFieldDto[];
  /** The CRM object's discovered fields (all of them; the dialog offers the writable ones). */
  fields: CrmFieldDto[];
  /** Warnings (type mismatches, required CRM fields not filled) and rows whose CRM field disappeared. */
  issues: MappingIssueDto[];
  /** Mapped CRM fields the last discovery no longer found. */
  missingFields: string[];
  drift: FieldDriftDto | null;
  discoveredAt: string | null;
  /** Incoming values the value maps do not translate, with how many records hold each. */
  unmapped: UnmappedValueDto[];
}

export interface UpdateMappingBody {
  rows: MappingRowDto[];
}
