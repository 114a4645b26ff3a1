/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** AlertKind is enum for the field kind */
export type AlertKind =
  | 'REMAINING_BELOW'
  | 'RUNWAY_BELOW_DAYS'
  | 'SOFT_LIMIT_REACHED'
  | 'USED_PERCENT';

export type CreateAlertRuleInput = {
  kind: AlertKind;
  /** Percent (USED_PERCENT), credits (REMAINING_BELOW), days (RUNWAY_BELOW_DAYS); 0 for SOFT_LIMIT_REACHED. */
  threshold: number;
};

export type PurchaseBundleInput = {
  idempotencyKey: string;
  offerID: string;
};

/** RunFrequency is enum for the field frequency */
export type RunFrequency =
  | 'DAILY'
  | 'HOURLY'
  | 'MANUAL'
  | 'MONTHLY'
  | 'WEEKDAYS'
  | 'WEEKLY';

export type SetAutoTopUpInput = {
  belowCredits: number;
  maxPerMonth: number;
  offerID: string;
};

export type SetCreditLimitInput = {
  /** one of the caller's agents. */
  agentID?: string | null | undefined;
  /** Cap one category, or */
  category?: UsageCategory | null | undefined;
  /** Hard limits reject the charge that would cross them; soft ones raise an alert. */
  hard: boolean;
  monthlyCredits: number;
};

/** UsageCategory is enum for the field category */
export type UsageCategory =
  | 'AGENT'
  | 'CHAT'
  | 'IMAGE'
  | 'VIDEO';

export type MoneyPartsFragment = { amount: string, currency: string, formatted: string };

export type BalancePartsFragment = { remaining: number, allowance: number, used: number, usedPercent: number, planIncluded: number, planRemaining: number, bundleCredits: number, bundleRemaining: number, periodStart: string, periodEnd: string, remainingValue: { amount: string, currency: string, formatted: string } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { id: string, name: string, plan: { id: string, name: string, monthlyCredits: number, creditValue: { amount: string, currency: string, formatted: string } } } };

export type BalanceQueryVariables = Exact<{ [key: string]: never; }>;


export type BalanceQuery = { creditBalance: { remaining: number, allowance: number, used: number, usedPercent: number, planIncluded: number, planRemaining: number, bundleCredits: number, bundleRemaining: number, periodStart: string, periodEnd: string, runway: { dailyBurn: number, runsOutAt: string | null, lastsUntilReset: boolean }, remainingValue: { amount: string, currency: string, formatted: string } } };

export type UsageByCategoryQueryVariables = Exact<{
  days?: number | null | undefined;
}>;


export type UsageByCategoryQuery = { usageByCategory: { days: number, totalCredits: number, totalValue: { amount: string, currency: string, formatted: string }, categories: Array<{ category: UsageCategory, credits: number, percent: number, value: { amount: string, currency: string, formatted: string } }> } };

export type TopAgentsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type TopAgentsQuery = { topAgents: Array<{ frequency: RunFrequency, runsPerMonth: number, averageCreditsPerRun: number, estimatedMonthlyCredits: number, agent: { id: string, name: string, hoursSavedPerMonth: number | null }, estimatedMonthlyCost: { amount: string, currency: string, formatted: string }, timeSavedValue: { amount: string, currency: string, formatted: string } | null }>, viewer: { id: string, hourlyRate: { amount: string, currency: string, formatted: string } } };

export type AgentRunsQueryVariables = Exact<{
  id: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AgentRunsQuery = { node:
    | { id: string }
    | { name: string, frequency: RunFrequency, hoursSavedPerMonth: number | null, id: string, cost: { runsPerMonth: number, averageCreditsPerRun: number, estimatedMonthlyCredits: number, estimatedMonthlyCost: { amount: string, currency: string, formatted: string }, timeSavedValue: { amount: string, currency: string, formatted: string } | null }, runs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, credits: number, occurredAt: string, profilesProcessed: number | null, description: string | null, value: { amount: string, currency: string, formatted: string } } | null } | null> | null } }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
   | null };

export type CreditCostsQueryVariables = Exact<{ [key: string]: never; }>;


export type CreditCostsQuery = { creditCosts: Array<{ category: UsageCategory, creditsPerUnit: number | null, unit: string, description: string }> };

export type BundleOffersQueryVariables = Exact<{ [key: string]: never; }>;


export type BundleOffersQuery = { bundleOffers: Array<{ id: string, name: string, credits: number, price: { amount: string, currency: string, formatted: string }, pricePerCredit: { amount: string, currency: string, formatted: string } }> };

export type UsageLinkQueryVariables = Exact<{ [key: string]: never; }>;


export type UsageLinkQuery = { usageLink: { url: string, title: string, summary: string } };

export type PurchaseBundleMutationVariables = Exact<{
  input: PurchaseBundleInput;
}>;


export type PurchaseBundleMutation = { purchaseBundle: { bundle: { id: string, credits: number, remaining: number, purchasedAt: string, price: { amount: string, currency: string, formatted: string } }, balance: { remaining: number, allowance: number, used: number, usedPercent: number, planIncluded: number, planRemaining: number, bundleCredits: number, bundleRemaining: number, periodStart: string, periodEnd: string, remainingValue: { amount: string, currency: string, formatted: string } } } };

export type AlertsQueryVariables = Exact<{ [key: string]: never; }>;


export type AlertsQuery = { viewer: { id: string, alerts: Array<{ id: string, kind: AlertKind, message: string, createdAt: string }> } };

export type DismissAlertMutationVariables = Exact<{
  id: string;
}>;


export type DismissAlertMutation = { dismissAlert: { id: string, dismissedAt: string | null } };

export type AlertRulesQueryVariables = Exact<{ [key: string]: never; }>;


export type AlertRulesQuery = { viewer: { id: string, alertRules: Array<{ id: string, kind: AlertKind, threshold: number }> } };

export type CreateAlertRuleMutationVariables = Exact<{
  input: CreateAlertRuleInput;
}>;


export type CreateAlertRuleMutation = { createAlertRule: { id: string } };

export type DeleteAlertRuleMutationVariables = Exact<{
  id: string;
}>;


export type DeleteAlertRuleMutation = { deleteAlertRule: string };

export type CreditLimitsQueryVariables = Exact<{ [key: string]: never; }>;


export type CreditLimitsQuery = { viewer: { id: string, creditLimits: Array<{ id: string, monthlyCredits: number, hard: boolean, used: number, category: UsageCategory | null, agent: { id: string, name: string } | null }> }, agents: { edges: Array<{ node: { id: string, name: string } | null } | null> | null } };

export type SetCreditLimitMutationVariables = Exact<{
  input: SetCreditLimitInput;
}>;


export type SetCreditLimitMutation = { setCreditLimit: { id: string } };

export type RemoveCreditLimitMutationVariables = Exact<{
  id: string;
}>;


export type RemoveCreditLimitMutation = { removeCreditLimit: string };

export type WebhookQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhookQuery = { viewer: { id: string, webhookUrl: string | null } };

export type SetWebhookMutationVariables = Exact<{
  url: string;
}>;


export type SetWebhookMutation = { setWebhook: { url: string, secret: string } };

export type RemoveWebhookMutationVariables = Exact<{ [key: string]: never; }>;


export type RemoveWebhookMutation = { removeWebhook: boolean };

export type SetHourlyRateMutationVariables = Exact<{
  amount: string;
}>;


export type SetHourlyRateMutation = { setHourlyRate: { id: string, hourlyRate: { amount: string, currency: string, formatted: string } } };

export type AutoTopUpQueryVariables = Exact<{ [key: string]: never; }>;


export type AutoTopUpQuery = { viewer: { id: string, autoTopUp: { belowCredits: number, maxPerMonth: number, purchasesThisPeriod: number, offer: { id: string, name: string, credits: number, price: { amount: string, currency: string, formatted: string } } } | null }, bundleOffers: Array<{ id: string, name: string, credits: number, price: { amount: string, currency: string, formatted: string } }> };

export type SetAutoTopUpMutationVariables = Exact<{
  input: SetAutoTopUpInput;
}>;


export type SetAutoTopUpMutation = { setAutoTopUp: { belowCredits: number } };

export type DisableAutoTopUpMutationVariables = Exact<{ [key: string]: never; }>;


export type DisableAutoTopUpMutation = { disableAutoTopUp: boolean };

export type DailyUsageQueryVariables = Exact<{
  days?: number | null | undefined;
}>;


export type DailyUsageQuery = { dailyUsage: Array<{ day: string, totalCredits: number, categories: Array<{ category: UsageCategory, credits: number }> }> };

export type BalanceChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type BalanceChangedSubscription = { creditBalanceChanged: { remaining: number } };

export type UsageRecordedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type UsageRecordedSubscription = { usageRecorded: { id: string, category: UsageCategory, credits: number, agent: { id: string, name: string } | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const MoneyPartsFragmentDoc = new TypedDocumentString(`
    fragment MoneyParts on Money {
  amount
  currency
  formatted
}
    `, {"fragmentName":"MoneyParts"}) as unknown as TypedDocumentString<MoneyPartsFragment, unknown>;
export const BalancePartsFragmentDoc = new TypedDocumentString(`
    fragment BalanceParts on CreditBalance {
  remaining
  allowance
  used
  usedPercent
  planIncluded
  planRemaining
  bundleCredits
  bundleRemaining
  remainingValue {
    ...MoneyParts
  }
  periodStart
  periodEnd
}
    fragment MoneyParts on Money {
  amount
  currency
  formatted
}`, {"fragmentName":"BalanceParts"}) as unknown as TypedDocumentString<BalancePartsFragment, unknown>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    id
    name
    plan {
      id
      name
      monthlyCredits
      creditValue {
        ...MoneyParts
      }
    }
  }
}
    fragment MoneyParts on Money {
  amount
  currency
  formatted
}`) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const BalanceDocument = new TypedDocumentString(`
    query Balance {
  creditBalance {
    ...BalanceParts
    runway {
      dailyBurn
      runsOutAt
      lastsUntilReset
    }
  }
}
    fragment MoneyParts on Money {
  amount
  currency
  formatted
}
fragment BalanceParts on CreditBalance {
  remaining
  allowance
  used
  usedPercent
  planIncluded
  planRemaining
  bundleCredits
  bundleRemaining
  remainingValue {
    ...MoneyParts
  }
  periodStart
  periodEnd
}`) as unknown as TypedDocumentString<BalanceQuery, BalanceQueryVariables>;
export const UsageByCategoryDocument = new TypedDocumentString(`
    query UsageByCategory($days: Int) {
  usageByCategory(days: $days) {
    days
    totalCredits
    totalValue {
      ...MoneyParts
    }
    categories {
      category
      credits
      percent
      value {
        ...MoneyParts
      }
    }
  }
}
    fragment MoneyParts on Money {
  amount
  currency
  formatted
}`) as unknown as TypedDocumentString<UsageByCategoryQuery, UsageByCategoryQueryVariables>;
export const TopAgentsDocument = new TypedDocumentString(`
    query TopAgents($first: Int) {
  topAgents(first: $first) {
    agent {
      id
      name
      hoursSavedPerMonth
    }
    frequency
    runsPerMonth
    averageCreditsPerRun
    estimatedMonthlyCredits
    estimatedMonthlyCost {
      ...MoneyParts
    }
    timeSavedValue {
      ...MoneyParts
    }
  }
  viewer {
    id
    hourlyRate {
      ...MoneyParts
    }
  }
}
    fragment MoneyParts on Money {
  amount
  currency
  formatted
}`) as unknown as TypedDocumentString<TopAgentsQuery, TopAgentsQueryVariables>;
export const AgentRunsDocument = new TypedDocumentString(`
    query AgentRuns($id: ID!, $first: Int, $after: Cursor) {
  node(id: $id) {
    id
    ... on Agent {
      name
      frequency
      hoursSavedPerMonth
      cost {
        runsPerMonth
        averageCreditsPerRun
        estimatedMonthlyCredits
        estimatedMonthlyCost {
          ...MoneyParts
        }
        timeSavedValue {
          ...MoneyParts
        }
      }
      runs(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            credits
            occurredAt
            profilesProcessed
            description
            value {
              ...MoneyParts
            }
          }
        }
      }
    }
  }
}
    fragment MoneyParts on Money {
  amount
  currency
  formatted
}`) as unknown as TypedDocumentString<AgentRunsQuery, AgentRunsQueryVariables>;
export const CreditCostsDocument = new TypedDocumentString(`
    query CreditCosts {
  creditCosts {
    category
    creditsPerUnit
    unit
    description
  }
}
    `) as unknown as TypedDocumentString<CreditCostsQuery, CreditCostsQueryVariables>;
export const BundleOffersDocument = new TypedDocumentString(`
    query BundleOffers {
  bundleOffers {
    id
    name
    credits
    price {
      ...MoneyParts
    }
    pricePerCredit {
      ...MoneyParts
    }
  }
}
    fragment MoneyParts on Money {
  amount
  currency
  formatted
}`) as unknown as TypedDocumentString<BundleOffersQuery, BundleOffersQueryVariables>;
export const UsageLinkDocument = new TypedDocumentString(`
    query UsageLink {
  usageLink {
    url
    title
    summary
  }
}
    `) as unknown as TypedDocumentString<UsageLinkQuery, UsageLinkQueryVariables>;
export const PurchaseBundleDocument = new TypedDocumentString(`
    mutation PurchaseBundle($input: PurchaseBundleInput!) {
  purchaseBundle(input: $input) {
    bundle {
      id
      credits
      remaining
      purchasedAt
      price {
        ...MoneyParts
      }
    }
    balance {
      ...BalanceParts
    }
  }
}
    fragment MoneyParts on Money {
  amount
  currency
  formatted
}
fragment BalanceParts on CreditBalance {
  remaining
  allowance
  used
  usedPercent
  planIncluded
  planRemaining
  bundleCredits
  bundleRemaining
  remainingValue {
    ...MoneyParts
  }
  periodStart
  periodEnd
}`) as unknown as TypedDocumentString<PurchaseBundleMutation, PurchaseBundleMutationVariables>;
export const AlertsDocument = new TypedDocumentString(`
    query Alerts {
  viewer {
    id
    alerts {
      id
      kind
      message
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<AlertsQuery, AlertsQueryVariables>;
export const DismissAlertDocument = new TypedDocumentString(`
    mutation DismissAlert($id: ID!) {
  dismissAlert(id: $id) {
    id
    dismissedAt
  }
}
    `) as unknown as TypedDocumentString<DismissAlertMutation, DismissAlertMutationVariables>;
export const AlertRulesDocument = new TypedDocumentString(`
    query AlertRules {
  viewer {
    id
    alertRules {
      id
      kind
      threshold
    }
  }
}
    `) as unknown as TypedDocumentString<AlertRulesQuery, AlertRulesQueryVariables>;
export const CreateAlertRuleDocument = new TypedDocumentString(`
    mutation CreateAlertRule($input: CreateAlertRuleInput!) {
  createAlertRule(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<CreateAlertRuleMutation, CreateAlertRuleMutationVariables>;
export const DeleteAlertRuleDocument = new TypedDocumentString(`
    mutation DeleteAlertRule($id: ID!) {
  deleteAlertRule(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteAlertRuleMutation, DeleteAlertRuleMutationVariables>;
export const CreditLimitsDocument = new TypedDocumentString(`
    query CreditLimits {
  viewer {
    id
    creditLimits {
      id
      monthlyCredits
      hard
      used
      category
      agent {
        id
        name
      }
    }
  }
  agents(first: 100, orderBy: {field: NAME}) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CreditLimitsQuery, CreditLimitsQueryVariables>;
export const SetCreditLimitDocument = new TypedDocumentString(`
    mutation SetCreditLimit($input: SetCreditLimitInput!) {
  setCreditLimit(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<SetCreditLimitMutation, SetCreditLimitMutationVariables>;
export const RemoveCreditLimitDocument = new TypedDocumentString(`
    mutation RemoveCreditLimit($id: ID!) {
  removeCreditLimit(id: $id)
}
    `) as unknown as TypedDocumentString<RemoveCreditLimitMutation, RemoveCreditLimitMutationVariables>;
export const WebhookDocument = new TypedDocumentString(`
    query Webhook {
  viewer {
    id
    webhookUrl
  }
}
    `) as unknown as TypedDocumentString<WebhookQuery, WebhookQueryVariables>;
export const SetWebhookDocument = new TypedDocumentString(`
    mutation SetWebhook($url: String!) {
  setWebhook(url: $url) {
    url
    secret
  }
}
    `) as unknown as TypedDocumentString<SetWebhookMutation, SetWebhookMutationVariables>;
export const RemoveWebhookDocument = new TypedDocumentString(`
    mutation RemoveWebhook {
  removeWebhook
}
    `) as unknown as TypedDocumentString<RemoveWebhookMutation, RemoveWebhookMutationVariables>;
export const SetHourlyRateDocument = new TypedDocumentString(`
    mutation SetHourlyRate($amount: String!) {
  setHourlyRate(amount: $amount) {
    id
    hourlyRate {
      ...MoneyParts
    }
  }
}
    fragment MoneyParts on Money {
  amount
  currency
  formatted
}`) as unknown as TypedDocumentString<SetHourlyRateMutation, SetHourlyRateMutationVariables>;
export const AutoTopUpDocument = new TypedDocumentString(`
    query AutoTopUp {
  viewer {
    id
    autoTopUp {
      offer {
        id
        name
        credits
        price {
          ...MoneyParts
        }
      }
      belowCredits
      maxPerMonth
      purchasesThisPeriod
    }
  }
  bundleOffers {
    id
    name
    credits
    price {
      ...MoneyParts
    }
  }
}
    fragment MoneyParts on Money {
  amount
  currency
  formatted
}`) as unknown as TypedDocumentString<AutoTopUpQuery, AutoTopUpQueryVariables>;
export const SetAutoTopUpDocument = new TypedDocumentString(`
    mutation SetAutoTopUp($input: SetAutoTopUpInput!) {
  setAutoTopUp(input: $input) {
    belowCredits
  }
}
    `) as unknown as TypedDocumentString<SetAutoTopUpMutation, SetAutoTopUpMutationVariables>;
export const DisableAutoTopUpDocument = new TypedDocumentString(`
    mutation DisableAutoTopUp {
  disableAutoTopUp
}
    `) as unknown as TypedDocumentString<DisableAutoTopUpMutation, DisableAutoTopUpMutationVariables>;
export const DailyUsageDocument = new TypedDocumentString(`
    query DailyUsage($days: Int) {
  dailyUsage(days: $days) {
    day
    totalCredits
    categories {
      category
      credits
    }
  }
}
    `) as unknown as TypedDocumentString<DailyUsageQuery, DailyUsageQueryVariables>;
export const BalanceChangedDocument = new TypedDocumentString(`
    subscription BalanceChanged {
  creditBalanceChanged {
    remaining
  }
}
    `) as unknown as TypedDocumentString<BalanceChangedSubscription, BalanceChangedSubscriptionVariables>;
export const UsageRecordedDocument = new TypedDocumentString(`
    subscription UsageRecorded {
  usageRecorded {
    id
    category
    credits
    agent {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<UsageRecordedSubscription, UsageRecordedSubscriptionVariables>;