package credits

import "github.com/vistasocial/aiusage/ent/usagerecord"

// Categories lists every usage category in display order.
var Categories = []usagerecord.Category{
	usagerecord.CategoryIMAGE, usagerecord.CategoryVIDEO,
	usagerecord.CategoryCHAT, usagerecord.CategoryAGENT,
}

// fixedPrice is the credits per unit of categories with a fixed price.
var fixedPrice = map[usagerecord.Category]int64{
	usagerecord.CategoryIMAGE: 10,
	usagerecord.CategoryVIDEO: 190,
}

// CreditCost explains how one category is priced.
type CreditCost struct {
	Category usagerecord.Category
	// CreditsPerUnit is nil where the cost depends on the work done.
	CreditsPerUnit *int64
	Unit           string
	Description    string
}

// CreditCosts is the price list shown as "How credits are counted".
func CreditCosts() []*CreditCost {
	price := func(c usagerecord.Category) *int64 { p := fixedPrice[c]; return &p }
	return []*CreditCost{
		{usagerecord.CategoryIMAGE, price(usagerecord.CategoryIMAGE), "image", "Each AI-generated image costs a fixed number of credits."},
		{usagerecord.CategoryVIDEO, price(usagerecord.CategoryVIDEO), "video", "Each AI-generated video costs a fixed number of credits."},
		{usagerecord.CategoryCHAT, nil, "conversation", "Ask Vista conversations cost what the work takes: longer or more complex requests use more credits."},
		{usagerecord.CategoryAGENT, nil, "run", "Agent runs cost what the work takes: more profiles processed or more complex tasks use more credits."},
	}
}
