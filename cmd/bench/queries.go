package main

// The GraphQL documents the benchmark sends. The dashboard's are the SPA's
// own (frontend.Operations, embedded from frontend/src/operations.graphql),
// selected by operation name: the page issues Balance, UsageByCategory(days:
// 30) and TopAgents(first: 5) side by side.

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
