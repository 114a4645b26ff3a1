package alerts

import (
	"context"
	"testing"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/internal/credits"
)

// Only a change on an account with alert rules can have queued a webhook
// delivery: the others do not wake the dispatcher (a query per charge).
func TestAfterCommitWakesTheDispatcherOnlyForAccountsWithRules(t *testing.T) {
	d := NewDispatcher(nil, 0)
	s := &Service{webhook: d}
	s.AfterCommit(context.Background(), &credits.Change{AccountID: 1, Account: &ent.Account{ID: 1}})
	if len(d.wake) != 0 {
		t.Fatal("woken by a change on an account without rules")
	}
	s.AfterCommit(context.Background(), &credits.Change{AccountID: 2, Account: &ent.Account{ID: 2, AlertRuleCount: 1}})
	if len(d.wake) != 1 {
		t.Fatal("not woken by a change on an account with rules")
	}
}
