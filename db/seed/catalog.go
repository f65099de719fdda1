package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// categorySpec describes a demo category and the demand shape of its products.
type categorySpec struct {
	Name        string
	Code        string // SKU prefix
	Description string
	// Weekly multipliers, Monday first; they average about 1.
	Weekly [7]float64
	// Yearly seasonality: amplitude of a cosine peaking on day of year Peak.
	Amp  float64
	Peak int
	// Nouns and units used to build product names.
	Nouns []string
	Sizes []string
	// CostCents is the median unit cost.
	CostCents float64
}

var categories = []categorySpec{
	{
		Name: "Beverages", Code: "BEV", Description: "Water, soft drinks, juice, coffee and tea",
		Weekly: [7]float64{0.85, 0.85, 0.9, 0.95, 1.15, 1.35, 0.95}, Amp: 0.35, Peak: 200,
		Nouns: []string{"Sparkling Water", "Still Water", "Orange Juice", "Apple Juice", "Cola", "Lemonade",
			"Iced Tea", "Ground Coffee", "Espresso Beans", "Green Tea", "Energy Drink", "Tonic Water"},
		Sizes: []string{"330 ml", "500 ml", "1 L", "1.5 L", "6-pack", "250 g", "500 g"}, CostCents: 120,
	},
	{
		Name: "Snacks", Code: "SNK", Description: "Crisps, nuts, biscuits and sweets",
		Weekly: [7]float64{0.85, 0.85, 0.9, 0.95, 1.15, 1.3, 1.0}, Amp: 0.12, Peak: 355,
		Nouns: []string{"Salted Crisps", "Paprika Crisps", "Roasted Almonds", "Cashew Mix", "Butter Biscuits",
			"Chocolate Bar", "Gummy Bears", "Pretzels", "Popcorn", "Oat Cookies", "Trail Mix", "Rice Crackers"},
		Sizes: []string{"40 g", "100 g", "150 g", "200 g", "family pack"}, CostCents: 90,
	},
	{
		Name: "Household", Code: "HSH", Description: "Cleaning, paper and kitchen supplies",
		Weekly: [7]float64{1.05, 0.95, 0.95, 0.95, 1.0, 1.25, 0.85}, Amp: 0.08, Peak: 90,
		Nouns: []string{"Dish Soap", "Laundry Detergent", "Paper Towels", "Toilet Paper", "Trash Bags",
			"Sponges", "Glass Cleaner", "Aluminium Foil", "Cling Film", "Fabric Softener", "Bleach", "Scrub Brush"},
		Sizes: []string{"500 ml", "1 L", "2 L", "4 rolls", "8 rolls", "20 pcs", "3-pack"}, CostCents: 250,
	},
	{
		Name: "Personal Care", Code: "PRC", Description: "Hygiene and cosmetics",
		Weekly: [7]float64{1.0, 1.0, 1.0, 1.0, 1.05, 1.15, 0.8}, Amp: 0.1, Peak: 180,
		Nouns: []string{"Shampoo", "Conditioner", "Shower Gel", "Toothpaste", "Toothbrush", "Hand Soap",
			"Deodorant", "Sunscreen", "Lip Balm", "Body Lotion", "Razor Blades", "Cotton Pads"},
		Sizes: []string{"50 ml", "75 ml", "250 ml", "400 ml", "2-pack", "4-pack"}, CostCents: 280,
	},
	{
		Name: "Garden", Code: "GRD", Description: "Seeds, soil, tools and outdoor",
		Weekly: [7]float64{0.8, 0.8, 0.85, 0.9, 1.1, 1.55, 1.0}, Amp: 0.75, Peak: 135,
		Nouns: []string{"Potting Soil", "Tomato Seeds", "Lawn Seed", "Garden Gloves", "Hose Nozzle",
			"Plant Food", "Pruning Shears", "Flower Pots", "Slug Pellets", "Watering Can", "Bird Seed", "Mulch"},
		Sizes: []string{"small", "medium", "large", "20 L", "40 L", "1 kg", "5 kg"}, CostCents: 450,
	},
	{
		Name: "Heating & Winter", Code: "WIN", Description: "Heaters, de-icer and winter gear",
		Weekly: [7]float64{1.0, 0.95, 0.95, 0.95, 1.0, 1.25, 0.9}, Amp: 0.85, Peak: 15,
		Nouns: []string{"De-Icer Spray", "Ice Scraper", "Hand Warmers", "Fan Heater", "Thermal Socks",
			"Firelighters", "Kiln-Dried Logs", "Draught Excluder", "Hot Water Bottle", "Snow Shovel", "Rock Salt", "Fleece Blanket"},
		Sizes: []string{"standard", "large", "500 ml", "10 pcs", "25 kg", "2-pack"}, CostCents: 600,
	},
	{
		Name: "Stationery", Code: "STA", Description: "Paper, pens and office supplies",
		Weekly: [7]float64{1.2, 1.15, 1.1, 1.1, 1.0, 0.8, 0.65}, Amp: 0.4, Peak: 245,
		Nouns: []string{"Ballpoint Pens", "Notebook", "Printer Paper", "Sticky Notes", "Highlighters",
			"Stapler", "Envelopes", "Pencils", "Glue Stick", "Ring Binder", "Scissors", "Correction Tape"},
		Sizes: []string{"A4", "A5", "10-pack", "4 colours", "500 sheets", "single"}, CostCents: 180,
	},
	{
		Name: "Electronics Accessories", Code: "ELA", Description: "Cables, batteries and chargers",
		Weekly: [7]float64{0.9, 0.9, 0.95, 0.95, 1.05, 1.35, 0.9}, Amp: 0.35, Peak: 350,
		Nouns: []string{"AA Batteries", "AAA Batteries", "USB-C Cable", "Phone Charger", "Earbuds",
			"Power Bank", "HDMI Cable", "Extension Lead", "Screen Wipes", "Memory Card", "Wireless Mouse", "Light Bulb"},
		Sizes: []string{"1 m", "2 m", "4-pack", "8-pack", "32 GB", "64 GB", "20 W"}, CostCents: 700,
	},
}

var nameVariants = []string{"", "", "", "Classic", "Premium", "Organic", "Eco", "Value", "Deluxe", "Original", "Pro", "Mini"}

// supplierSpec is a demo supplier.
type supplierSpec struct {
	Name, Contact, Email, Phone, Notes string
	LeadTimeDays                       int
}

var supplierStems = []string{
	"Nordwind", "Alpine", "Harbour", "Meridian", "Sunrise", "Bluebell", "Keystone", "Riverside",
	"Oakfield", "Silverline", "Granite", "Evergreen", "Lighthouse", "Pioneer", "Summit", "Crescent",
	"Maple", "Atlas", "Horizon", "Cobalt", "Juniper", "Westgate", "Fjord", "Lumen",
}

var supplierSuffixes = []string{"Trading", "Wholesale", "Distribution", "Supply Co.", "Imports", "Logistics", "& Sons", "Brands"}

var firstNames = []string{"Anna", "Ben", "Clara", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
	"Karin", "Luis", "Maya", "Nils", "Olga", "Pavel", "Rosa", "Sami", "Tara", "Umar"}

var lastNames = []string{"Berg", "Costa", "Dubois", "Fischer", "Garcia", "Hansen", "Ivanova", "Jensen",
	"Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Rossi", "Schmidt", "Tanaka", "Weber"}

// makeSuppliers builds n suppliers with distinct names and lead times of
// 2 to 21 days.
func makeSuppliers(rng *rand.Rand, n int) []supplierSpec {
	out := make([]supplierSpec, 0, n)
	perm := rng.Perm(len(supplierStems))
	for i := 0; i < n; i++ {
		stem := supplierStems[perm[i%len(perm)]]
		name := stem + " " + supplierSuffixes[rng.IntN(len(supplierSuffixes))]
		if i >= len(perm) {
			name = fmt.Sprintf("%s %d", name, i/len(perm)+1)
		}
		first := firstNames[rng.IntN(len(firstNames))]
		last := lastNames[rng.IntN(len(lastNames))]
		domain := strings.ToLower(stem) + ".example"
		lead := 2 + rng.IntN(20)
		notes := ""
		switch {
		case lead >= 15:
			notes = "Ships from overseas; plan ahead."
		case lead <= 3:
			notes = "Local supplier, fast deliveries."
		}
		out = append(out, supplierSpec{
			Name:         name,
			Contact:      first + " " + last,
			Email:        strings.ToLower(first) + "." + strings.ToLower(last) + "@" + domain,
			Phone:        fmt.Sprintf("+44 20 %04d %04d", rng.IntN(10000), rng.IntN(10000)),
			Notes:        notes,
			LeadTimeDays: lead,
		})
	}
	return out
}

// productName builds a product name from its category.
func productName(rng *rand.Rand, c *categorySpec) string {
	v := nameVariants[rng.IntN(len(nameVariants))]
	n := c.Nouns[rng.IntN(len(c.Nouns))]
	s := c.Sizes[rng.IntN(len(c.Sizes))]
	if v != "" {
		return v + " " + n + " " + s
	}
	return n + " " + s
}

// roundPrice rounds a price in cents to a shop-like value ending in 9
// (e.g. 1249 → 1249, 1253 → 1259), never below 9.
func roundPrice(cents float64) int64 {
	c := int64(math.Round(cents))
	if c < 9 {
		return 9
	}
	return c/10*10 + 9
}
