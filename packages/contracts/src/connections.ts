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
}

export interface ConduitFieldDto {
  name: string;
  label: string;
  type: string;
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
}

export interface UpdateMappingBody {
  rows: MappingRowDto[];
}
