package credits

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vistasocial/aiusage/ent/usagerecord"
)

// Input limits from the API contract.
const (
	MaxKeyLen         = 255
	MaxNameLen        = 100
	MaxDescriptionLen = 1000
	MaxQuantity       = 1000
	MaxCredits        = 1_000_000
	MaxProfiles       = 10_000_000
	MaxBackdate       = 35 * 24 * time.Hour
	MaxClockSkew      = 5 * time.Minute
	MaxDays           = 365
	MaxPageSize       = 100
)

// UsageInput is one metering event as reported by an AI feature.
type UsageInput struct {
	Category          usagerecord.Category
	Quantity          *int // nil means 1
	Credits           *int
	AgentID           *int
	ProfilesProcessed *int
	Description       *string
	IdempotencyKey    string
	OccurredAt        *time.Time // nil means now
}

// charge is a validated UsageInput with its credits computed.
type charge struct {
	UsageInput
	quantity   int
	credits    int64
	occurredAt time.Time
	hash       string
}

func (in UsageInput) validate(now time.Time) (*charge, error) {
	if err := ValidateKey(in.IdempotencyKey); err != nil {
		return nil, err
	}
	if err := usagerecord.CategoryValidator(in.Category); err != nil {
		return nil, invalid("category", "unknown category %q", in.Category)
	}
	c := &charge{UsageInput: in, quantity: 1, occurredAt: now}
	if in.Quantity != nil {
		c.quantity = *in.Quantity
	}
	if price, fixed := fixedPrice[in.Category]; fixed {
		if in.Credits != nil {
			return nil, invalid("credits", "%s is priced per unit: give quantity, not credits", in.Category)
		}
		if c.quantity < 1 || c.quantity > MaxQuantity {
			return nil, invalid("quantity", "must be between 1 and %d", MaxQuantity)
		}
		c.credits = price * int64(c.quantity)
	} else {
		if c.quantity != 1 {
			return nil, invalid("quantity", "%s is charged by credits: omit quantity", in.Category)
		}
		if in.Credits == nil || *in.Credits < 1 || *in.Credits > MaxCredits {
			return nil, invalid("credits", "%s needs credits between 1 and %d", in.Category, MaxCredits)
		}
		c.credits = int64(*in.Credits)
	}
	switch {
	case in.Category == usagerecord.CategoryAGENT && in.AgentID == nil:
		return nil, invalid("agentID", "AGENT usage needs the agent that ran")
	case in.Category != usagerecord.CategoryAGENT && in.AgentID != nil:
		return nil, invalid("agentID", "only AGENT usage names an agent")
	}
	if p := in.ProfilesProcessed; p != nil {
		if _, fixed := fixedPrice[in.Category]; fixed {
			return nil, invalid("profilesProcessed", "only CHAT and AGENT usage process profiles")
		}
		if *p < 0 || *p > MaxProfiles {
			return nil, invalid("profilesProcessed", "must be between 0 and %d", MaxProfiles)
		}
	}
	if d := in.Description; d != nil {
		if err := validateText("description", *d, 0, MaxDescriptionLen); err != nil {
			return nil, err
		}
	}
	if in.OccurredAt != nil {
		at := in.OccurredAt.UTC()
		if at.Before(now.Add(-MaxBackdate)) {
			return nil, invalid("occurredAt", "must be at most 35 days in the past")
		}
		if at.After(now.Add(MaxClockSkew)) {
			return nil, invalid("occurredAt", "must not be in the future")
		}
		c.occurredAt = at
	}
	c.hash = c.fingerprint()
	return c, nil
}

// fingerprint identifies the payload so that a retry can be told from a
// reused key. A defaulted occurredAt is left out: it differs on every retry.
func (c *charge) fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%d|%d|", c.Category, c.quantity, c.credits)
	if c.AgentID != nil {
		fmt.Fprintf(h, "agent=%d|", *c.AgentID)
	}
	if c.ProfilesProcessed != nil {
		fmt.Fprintf(h, "profiles=%d|", *c.ProfilesProcessed)
	}
	if c.Description != nil {
		fmt.Fprintf(h, "desc=%q|", *c.Description)
	}
	if c.OccurredAt != nil {
		fmt.Fprintf(h, "at=%d|", c.OccurredAt.UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ValidateKey checks an idempotency key.
func ValidateKey(key string) error {
	return validateText("idempotencyKey", key, 1, MaxKeyLen)
}

// ValidateName checks a display name.
func ValidateName(name string) error {
	if strings.TrimSpace(name) == "" {
		return invalid("name", "must not be blank")
	}
	return validateText("name", name, 1, MaxNameLen)
}

func validateText(field, s string, minLen, maxLen int) error {
	if !utf8.ValidString(s) {
		return invalid(field, "must be valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n < minLen || n > maxLen {
		return invalid(field, "must be %d to %d characters", minLen, maxLen)
	}
	return nil
}

// ValidateDays checks the length of a reporting window.
func ValidateDays(days int) error {
	if days < 1 || days > MaxDays {
		return invalid("days", "must be between 1 and %d", MaxDays)
	}
	return nil
}

// ValidatePageSize checks a list or connection size.
func ValidatePageSize(field string, n int) error {
	if n < 1 || n > MaxPageSize {
		return invalid(field, "must be between 1 and %d", MaxPageSize)
	}
	return nil
}
