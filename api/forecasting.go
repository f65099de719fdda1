package api

import "time"

// ForecastResponse is a product's demand forecast (GET
// /products/{id}/forecast): the model chosen, its backtest accuracy next
// to seasonal naive's, and one point per day.
type ForecastResponse struct {
	ProductID   int64           `json:"product_id"`
	Model       string          `json:"model"`
	Params      string          `json:"params"`
	DemandClass string          `json:"demand_class"`
	Accuracy    Accuracy        `json:"accuracy"`
	Baseline    Accuracy        `json:"baseline"`
	ComputedAt  time.Time       `json:"computed_at"`
	DataThrough string          `json:"data_through"` // last day of history used (YYYY-MM-DD)
	Cached      bool            `json:"cached"`       // false: computed for this request
	Points      []ForecastPoint `json:"points"`
}

// Accuracy is a backtest score; measures that could not be computed are null.
type Accuracy struct {
	RMSSE  *float64 `json:"rmsse"`
	MASE   *float64 `json:"mase"`
	Bias   *float64 `json:"bias"`
	Points int      `json:"points"`
}

// ForecastPoint is one forecast day: the mean, quantiles, and the central
// 80 % and 95 % intervals.
type ForecastPoint struct {
	Date string  `json:"date"`
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P80  float64 `json:"p80"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	Lo80 float64 `json:"lo80"`
	Hi80 float64 `json:"hi80"`
	Lo95 float64 `json:"lo95"`
	Hi95 float64 `json:"hi95"`
}

// RestockLine is the restock suggestion for one product (GET /restock):
// demand over lead time and review period, the effective reorder point and
// order-up-to level at the service level (whole units), the quantity to
// order (0 = none), when and why. Float fields are statistics (means and
// quantiles of demand).
type RestockLine struct {
	ProductID    int64  `json:"product_id"`
	SKU          string `json:"sku"`
	Name         string `json:"name"`
	SupplierID   *int64 `json:"supplier_id"`
	SupplierName string `json:"supplier_name"`
	Stock        int64  `json:"stock"`
	// OnOrder is still to come on approved or ordered purchase orders;
	// drafts are listed in PendingDrafts and never count.
	OnOrder       int64          `json:"on_order"`
	UnitCost      Money          `json:"unit_cost"`
	ABC           string         `json:"abc"`
	DemandClass   string         `json:"demand_class"`
	Model         string         `json:"model"`
	PendingDrafts []PendingDraft `json:"pending_drafts"`
	DailyDemand   float64        `json:"daily_demand"`   // statistic: mean forecast demand per day over L + R
	LeadTimeDays  int            `json:"lead_time_days"` // L
	ReviewDays    int            `json:"review_days"`    // R
	ServiceLevel  float64        `json:"service_level"`
	QuantileLevel float64        `json:"quantile_level"`            // statistic: level the quantiles are taken at
	LeadDemand    float64        `json:"lead_time_demand"`          // statistic: mean demand over L
	LeadQuantile  float64        `json:"lead_time_demand_quantile"` // statistic: quantile of demand over L
	CoverQuantile float64        `json:"cover_demand_quantile"`     // statistic: quantile of demand over L + R
	SafetyStock   int64          `json:"safety_stock"`              // whole units
	// ReorderPoint is the computed one (null: none); EffectiveReorderPoint
	// is the manual one when set, else the computed one, and
	// ReorderPointSource says which (computed, manual, none).
	ReorderPoint          *int64  `json:"reorder_point"`
	EffectiveReorderPoint *int64  `json:"effective_reorder_point"`
	ReorderPointSource    string  `json:"reorder_point_source"`
	OrderUpTo             int64   `json:"order_up_to"` // S, whole units
	NetStock              int64   `json:"net_stock"`   // on hand + on order
	Quantity              int64   `json:"quantity"`    // suggested order, rounded; 0 = none
	EOQ                   float64 `json:"eoq,omitempty"`
	Value                 float64 `json:"value"` // Quantity × unit cost
	// StockoutDate is when the position runs out at the service-level
	// quantile (zero: beyond a year); OrderBy is StockoutDate − L (zero
	// when nothing is to be ordered). Urgency follows OrderBy: overdue
	// before today, this_week within 7 days, later otherwise.
	StockoutDate time.Time `json:"stockout_date,omitzero"`
	OrderBy      time.Time `json:"order_by,omitzero"`
	Urgency      string    `json:"urgency"`
	Reason       string    `json:"reason"`
}

// PendingDraft is a product's line on a draft purchase order, awaiting
// approval.
type PendingDraft struct {
	OrderID  int64 `json:"order_id"`
	Quantity int64 `json:"quantity"`
}

// RestockList is the flat answer of GET /restock.
type RestockList struct {
	Items []RestockLine `json:"items"`
	Total int           `json:"total"`
}

// ProductTrend is a product's sales trend (GET /analytics/trends): units
// and revenue over 7, 30 and 90 days, velocity and its change, ABC/XYZ
// and demand class, turnover and cover, mover class, dead and excess
// stock, and the weekday pattern.
type ProductTrend struct {
	ProductID  int64  `json:"product_id"`
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	CategoryID *int64 `json:"category_id"`
	SupplierID *int64 `json:"supplier_id"`
	Stock      int64  `json:"stock"`

	Units7    float64 `json:"units_7d"`
	Units30   float64 `json:"units_30d"`
	Units90   float64 `json:"units_90d"`
	Revenue7  float64 `json:"revenue_7d"`
	Revenue30 float64 `json:"revenue_30d"`
	Revenue90 float64 `json:"revenue_90d"`

	// Velocity is units per day over the last 30 days; VelocityChange is
	// the relative change against the previous 30 (0.25 = +25 %).
	Velocity       float64 `json:"velocity"`
	VelocityChange float64 `json:"velocity_change"`
	Significant    bool    `json:"significant"`
	Direction      string  `json:"direction"` // up, down or flat

	ABC   string  `json:"abc"`   // A, B or C by revenue share
	XYZ   string  `json:"xyz"`   // X, Y or Z by CV of weekly demand
	Class string  `json:"class"` // smooth, erratic, intermittent, lumpy, ...
	CV    float64 `json:"cv_weekly"`

	// Turnover and DaysOfCover are null when undefined (no stock or no sales).
	Turnover    *float64 `json:"turnover"`
	DaysOfCover *float64 `json:"days_of_cover"`

	StockValue  float64 `json:"stock_value"`
	Mover       string  `json:"mover"` // fast, slow, normal or none
	Dead        bool    `json:"dead"`
	DeadValue   float64 `json:"dead_value"`
	Excess      bool    `json:"excess"`
	ExcessUnits int64   `json:"excess_units"`
	ExcessValue float64 `json:"excess_value"`

	BestWeekday  string  `json:"best_weekday"`
	WorstWeekday string  `json:"worst_weekday"`
	WeeklyShare  float64 `json:"weekly_strength"` // share of daily variance explained by the weekday (0–1)
}
