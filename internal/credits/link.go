package credits

import (
	"context"
	"fmt"

	"github.com/vistasocial/aiusage/internal/money"
)

// UsagePagePath is where the SPA shows AI usage.
const UsagePagePath = "/settings/billing/ai-usage"

// UsageLink points the Ask Vista panel at the usage page.
type UsageLink struct {
	URL     string
	Title   string
	Summary string
}

// UsageLink summarises the balance in one sentence with a link to the page.
func (s *Service) UsageLink(ctx context.Context, accountID int) (UsageLink, error) {
	b, err := s.Balance(ctx, accountID)
	if err != nil {
		return UsageLink{}, err
	}
	return UsageLink{
		URL:   UsagePagePath,
		Title: "AI usage",
		Summary: fmt.Sprintf("%s of %s credits left (≈ %s)",
			money.GroupThousands(b.Remaining), money.GroupThousands(b.Allowance), b.RemainingValue.Formatted()),
	}, nil
}
