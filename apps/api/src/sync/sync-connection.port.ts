import type { SyncSettingsDto } from '@conduit/contracts';
import type { CrmKind } from '@conduit/crm';
import type { FieldSourceRule, MappingRow } from '@conduit/mapping';
import { SYNC_OBJECTS } from './sync-objects.js';

/** Per-connection import settings (stored with the connection). */
export type SyncSettings = SyncSettingsDto;

export const DEFAULT_INTERVAL_MINUTES = 5;

export function defaultSyncSettings(crm: CrmKind): SyncSettings {
  return { importEnabled: true, objects: [...SYNC_OBJECTS[crm]], intervalMinutes: DEFAULT_INTERVAL_MINUTES };
}

export interface SyncConnectionInfo {
  workspaceId: string;
  connectionId: string;
  crm: CrmKind;
  /** HubSpot portal id / Salesforce org id. */
  accountId: string;
  /** False when the connection needs a reconnect: nothing is synced. */
  usable: boolean;
  settings: SyncSettings;
}

/**
 * What the sync engine needs from the connections feature, and nothing more: which connections exist, the field
 * mapping rows, and a place for the sync settings (adapters come from the CRM runtime's CrmClients). The production implementation delegates to the connections services; tests provide
 * one over the in-process CRM sandbox.
 */
export interface SyncConnectionPort {
  get(workspaceId: string, connectionId: string): Promise<SyncConnectionInfo | null>;
  /** Every usable connection (the incremental schedule walks them). */
  list(): Promise<SyncConnectionInfo[]>;
  /** Connections of a CRM account (a HubSpot webhook names the portal, not the workspace). */
  findByAccount(crm: CrmKind, accountId: string): Promise<SyncConnectionInfo[]>;
  getMapping(workspaceId: string, connectionId: string, object: 'contact' | 'company'): Promise<MappingRow[]>;
  /**
   * The source-of-truth rule per Conduit field an import of people (`contact`) or companies applies (`proposed` rules
   * replace saved ones: a preview); null while fewer than two CRMs are connected.
   */
  sourceOfTruth(workspaceId: string, object: 'contact' | 'company', proposed?: Readonly<Record<string, FieldSourceRule>>): Promise<Map<string, FieldSourceRule> | null>;
  saveSettings(workspaceId: string, connectionId: string, settings: SyncSettings): Promise<void>;
  /** The HubSpot app's client secret, which signs its webhooks. */
  hubspotWebhookSecret(): string;
}

export const SYNC_CONNECTION_PORT = Symbol('SyncConnectionPort');
