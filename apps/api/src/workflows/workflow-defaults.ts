import type { AccountCompanyConfigDto, AccountHygieneConfigDto, OpportunityDealConfigDto, EmailChangeConfigDto, MqlHandoffConfigDto, StageLifecycleConfigDto, WorkflowConfigDto, WorkflowKind } from '@conduit/contracts';

/** What a workflow does before an admin edits it (the guides' usual MQL handoff and closed-loop stage sync). */
export const DEFAULT_MQL_HANDOFF: MqlHandoffConfigDto = {
  triggerStage: 'marketingqualifiedlead',
  conditions: [],
  fieldMap: [
    { hubspot: 'firstname', salesforce: 'FirstName' },
    { hubspot: 'lastname', salesforce: 'LastName' },
    { hubspot: 'email', salesforce: 'Email' },
    { hubspot: 'company', salesforce: 'Company' },
    { hubspot: 'jobtitle', salesforce: 'Title' },
    { hubspot: 'phone', salesforce: 'Phone' },
    { hubspot: 'city', salesforce: 'City' },
    { hubspot: 'state', salesforce: 'State' },
    { hubspot: 'country', salesforce: 'Country' },
    { hubspot: 'website', salesforce: 'Website' },
  ],
  externalIdField: 'HubSpot_Contact_ID__c',
  leadSourceTable: [
    { from: 'ORGANIC_SEARCH', to: 'Web' },
    { from: 'PAID_SEARCH', to: 'Advertisement' },
    { from: 'PAID_SOCIAL', to: 'Advertisement' },
    { from: 'SOCIAL_MEDIA', to: 'Web' },
    { from: 'EMAIL_MARKETING', to: 'Web' },
    { from: 'REFERRALS', to: 'External Referral' },
    { from: 'DIRECT_TRAFFIC', to: 'Web' },
    { from: 'OFFLINE', to: 'Trade Show' },
  ],
  leadSourceDefault: 'Other',
  owner: { kind: 'none' },
  opportunity: { enabled: false, stageName: 'Qualification', amount: null, closeInDays: 30 },
};

export const DEFAULT_STAGE_LIFECYCLE: StageLifecycleConfigDto = {
  rules: [
    { stage: 'Prospecting', lifecycle: 'salesqualifiedlead' },
    { stage: 'Qualification', lifecycle: 'salesqualifiedlead' },
    { stage: 'Needs Analysis', lifecycle: 'opportunity' },
    { stage: 'Proposal/Price Quote', lifecycle: 'opportunity' },
    { stage: 'Negotiation/Review', lifecycle: 'opportunity' },
    { stage: 'Closed Won', lifecycle: 'customer', minAmountExclusive: 0 },
  ],
  allowBackwards: false,
};

export const DEFAULT_EMAIL_CHANGE: EmailChangeConfigDto = { direction: 'hubspot_to_salesforce' };

export const DEFAULT_ACCOUNT_HYGIENE: AccountHygieneConfigDto = {
  fields: ['name', 'industry', 'numberofemployees'],
  industryTable: [
    { from: 'Technology', to: 'COMPUTER_SOFTWARE' },
    { from: 'Banking', to: 'FINANCIAL_SERVICES' },
    { from: 'Finance', to: 'FINANCIAL_SERVICES' },
    { from: 'Healthcare', to: 'HOSPITAL_HEALTH_CARE' },
    { from: 'Consulting', to: 'MANAGEMENT_CONSULTING' },
    { from: 'Transportation', to: 'LOGISTICS_AND_SUPPLY_CHAIN' },
    { from: 'Shipping', to: 'LOGISTICS_AND_SUPPLY_CHAIN' },
    { from: 'Education', to: 'EDUCATION_MANAGEMENT' },
    { from: 'Energy', to: 'RENEWABLES_ENVIRONMENT' },
    { from: 'Environmental', to: 'RENEWABLES_ENVIRONMENT' },
  ],
  genericValues: [],
};

/** Salesforce's standard Opportunity stages on HubSpot's default sales pipeline. */
export const DEFAULT_OPPORTUNITY_DEAL: OpportunityDealConfigDto = {
  pipeline: 'default',
  stages: [
    { stage: 'Prospecting', dealstage: 'appointmentscheduled' },
    { stage: 'Qualification', dealstage: 'qualifiedtobuy' },
    { stage: 'Needs Analysis', dealstage: 'qualifiedtobuy' },
    { stage: 'Value Proposition', dealstage: 'presentationscheduled' },
    { stage: 'Id. Decision Makers', dealstage: 'decisionmakerboughtin' },
    { stage: 'Perception Analysis', dealstage: 'decisionmakerboughtin' },
    { stage: 'Proposal/Price Quote', dealstage: 'contractsent' },
    { stage: 'Negotiation/Review', dealstage: 'contractsent' },
    { stage: 'Closed Won', dealstage: 'closedwon' },
    { stage: 'Closed Lost', dealstage: 'closedlost' },
  ],
  ownerTable: [],
  matchOwnersByEmail: true,
};

export const DEFAULT_ACCOUNT_COMPANY: AccountCompanyConfigDto = {
  create: true,
  fields: ['name', 'industry', 'numberofemployees'],
  industryTable: DEFAULT_ACCOUNT_HYGIENE.industryTable,
  genericValues: [],
  blockedDomains: [],
};

export function defaultConfig(kind: WorkflowKind): WorkflowConfigDto {
  switch (kind) {
    case 'mql_handoff':
      return DEFAULT_MQL_HANDOFF;
    case 'stage_lifecycle':
      return DEFAULT_STAGE_LIFECYCLE;
    case 'email_change':
      return DEFAULT_EMAIL_CHANGE;
    case 'account_hygiene':
      return DEFAULT_ACCOUNT_HYGIENE;
    case 'opportunity_deal':
      return DEFAULT_OPPORTUNITY_DEAL;
    case 'account_company':
      return DEFAULT_ACCOUNT_COMPANY;
  }
}
