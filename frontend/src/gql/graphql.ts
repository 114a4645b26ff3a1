/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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


export type BalanceQuery = { creditBalance: { remaining: number, allowance: number, used: number, usedPercent: number, planIncluded: number, planRemaining: number, bundleCredits: number, bundleRemaining: number, periodStart: string, periodEnd: string, remainingValue: { amount: string, currency: string, formatted: string } } };

export type UsageByCategoryQueryVariables = Exact<{
  days?: number | null | undefined;
}>;


export type UsageByCategoryQuery = { usageByCategory: { days: number, totalCredits: number, totalValue: { amount: string, currency: string, formatted: string }, categories: Array<{ category: UsageCategory, credits: number, percent: number, value: { amount: string, currency: string, formatted: string } }> } };

export type TopAgentsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type TopAgentsQuery = { topAgents: Array<{ frequency: RunFrequency, runsPerMonth: number, averageCreditsPerRun: number, estimatedMonthlyCredits: number, agent: { id: string, name: string, hoursSavedPerMonth: number | null }, estimatedMonthlyCost: { amount: string, currency: string, formatted: string } }> };

export type AgentRunsQueryVariables = Exact<{
  id: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AgentRunsQuery = { node:
    | { id: string }
    | { name: string, frequency: RunFrequency, hoursSavedPerMonth: number | null, id: string, cost: { runsPerMonth: number, averageCreditsPerRun: number, estimatedMonthlyCredits: number, estimatedMonthlyCost: { amount: string, currency: string, formatted: string } }, runs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, credits: number, occurredAt: string, profilesProcessed: number | null, description: string | null, value: { amount: string, currency: string, formatted: string } } | null } | null> | null } }
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