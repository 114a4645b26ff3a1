package main

// The GraphQL documents the benchmark sends.
//
// The dashboard documents are the SPA's own, verbatim as it sends them
// (frontend/src/gql/graphql.ts, generated from frontend/src/operations.graphql):
// the dashboard page issues Balance, UsageByCategory(days: 30) and
// TopAgents(first: 5) side by side. Keep them in sync when the SPA changes.

const balanceQuery = `
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
}`

const usageByCategoryQuery = `
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
}`

const topAgentsQuery = `
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
}`

// recordUsageMutation is what a metering client sends per event: it needs
// the record's ID and the balance left, to stop an AI feature that ran out.
const recordUsageMutation = `mutation RecordUsage($input: RecordUsageInput!) {
  recordUsage(input: $input) {
    usageRecord { id }
    balance { remaining }
  }
}`

// recordUsageBatchMutation reports up to 100 events at once; each item
// answers for its own event.
const recordUsageBatchMutation = `mutation RecordUsageBatch($inputs: [RecordUsageInput!]!) {
  recordUsageBatch(inputs: $inputs) {
    items { usageRecord { id } replayed error { code message } }
    balance { remaining }
  }
}`
