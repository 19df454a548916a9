/**
 * Email subscription state of a portal, keyed by email address as HubSpot keys it ("the subscription status is tied
 * to the email address, not to a contact record": a status set for an address with no contact applies to a contact
 * created later). Per subscription type (v3 / v4 statuses) and "opted out of all email" (v4 wide status), which
 * HubSpot mirrors into the contact properties `hs_email_optout` and `hs_email_optout_<subscriptionId>`.
 */

export const LEGAL_BASES = [
  'LEGITIMATE_INTEREST_PQL',
  'LEGITIMATE_INTEREST_CLIENT',
  'PERFORMANCE_OF_CONTRACT',
  'CONSENT_WITH_NOTICE',
  'NON_GDPR',
  'PROCESS_AND_STORE',
  'LEGITIMATE_INTEREST_OTHER',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export interface SubscriptionDefinition {
  id: string;
  name: string;
  description: string;
  purpose: string;
  communicationMethod: string;
  isActive: boolean;
  isDefault: boolean;
  isInternal: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TypeStatus {
  status: 'SUBSCRIBED' | 'NOT_SUBSCRIBED';
  legalBasis?: LegalBasis;
  legalBasisExplanation?: string;
  /** Where the change came from (v4 `source`): the API, the contact's preference page, … */
  source: string;
  timestamp: string;
}

export interface AddressState {
  types: Record<string, TypeStatus>;
  /** Opted out of all email (v4 wide status UNSUBSCRIBED, PORTAL_WIDE). */
  optedOutOfAll?: { timestamp: string; source: string };
}

export type SubscriptionsSnapshot = [string, AddressState][];

/** The demo portal's subscription types (HubSpot creates the first two in every portal). */
export function demoDefinitions(): SubscriptionDefinition[] {
  const at = '2024-01-15T09:00:00.000Z';
  const def = (id: string, name: string, description: string, purpose: string, isDefault: boolean): SubscriptionDefinition => ({
    id, name, description, purpose, communicationMethod: 'Email', isActive: true, isDefault, isInternal: false, createdAt: at, updatedAt: at,
  });
  return [
    def('1001', 'Marketing Information', 'Marketing offers and updates.', 'Marketing', true),
    def('1002', 'One to One', 'One to one emails from sales and service.', 'Sales', true),
    def('1003', 'Customer Service Communication', 'Feedback requests and service updates.', 'Customer Service', false),
  ];
}

export class SubscriptionStore {
  readonly definitions: SubscriptionDefinition[] = demoDefinitions();
  private readonly byAddress = new Map<string, AddressState>();

  definition(id: string): SubscriptionDefinition | undefined {
    return this.definitions.find((d) => d.id === id);
  }

  state(email: string): AddressState | undefined {
    return this.byAddress.get(email.toLowerCase());
  }

  private stateFor(email: string): AddressState {
    const key = email.toLowerCase();
    let state = this.byAddress.get(key);
    if (state === undefined) this.byAddress.set(key, (state = { types: {} }));
    return state;
  }

  setType(email: string, subscriptionId: string, status: TypeStatus): void {
    this.stateFor(email).types[subscriptionId] = status;
  }

  /** Returns false when the address had already opted out of all email. */
  optOutOfAll(email: string, source: string, timestamp: string): boolean {
    const state = this.stateFor(email);
    if (state.optedOutOfAll !== undefined) return false;
    state.optedOutOfAll = { timestamp, source };
    return true;
  }

  /** The effective status of one type: opted out of all email wins over the type's own status. */
  effective(email: string, def: SubscriptionDefinition): TypeStatus & { wide: boolean } {
    const state = this.state(email);
    if (state?.optedOutOfAll !== undefined) {
      return { status: 'NOT_SUBSCRIBED', source: state.optedOutOfAll.source, timestamp: state.optedOutOfAll.timestamp, wide: true };
    }
    const own = state?.types[def.id];
    return own !== undefined ? { ...own, wide: false } : { status: 'NOT_SUBSCRIBED', source: 'DEFAULT', timestamp: def.createdAt, wide: false };
  }

  snapshot(): SubscriptionsSnapshot {
    return [...this.byAddress.entries()].map(([k, v]) => [k, { types: { ...v.types }, ...(v.optedOutOfAll ? { optedOutOfAll: { ...v.optedOutOfAll } } : {}) }]);
  }

  load(snapshot: SubscriptionsSnapshot | undefined): void {
    this.byAddress.clear();
    for (const [k, v] of snapshot ?? []) this.byAddress.set(k, v);
  }
}
