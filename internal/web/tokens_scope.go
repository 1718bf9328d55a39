package web

import "github.com/lotse-oss/lotse/internal/domain"

// tokenRouteScopes are the routes that change something which an API
// token limited to a scope may call: bookings (book, cancel, approve or
// decline, attendance, ratings) and vouchers (hand vouchers to people,
// funding requests, release or forfeit after a late cancellation). A
// token limited to reading changes nothing; reading routes are open to
// every token. authz.CheckTokenRequest decides; the actions check again.
var tokenRouteScopes = map[string]domain.TokenScope{
	"POST /api/v1/sessions/{id}/bookings":        domain.ScopeBookings,
	"DELETE /api/v1/bookings/{id}":               domain.ScopeBookings,
	"POST /api/v1/bookings/{id}/approve":         domain.ScopeBookings,
	"POST /api/v1/bookings/{id}/decline":         domain.ScopeBookings,
	"POST /api/v1/bookings/{id}/attendance":      domain.ScopeBookings,
	"POST /api/v1/sessions/{id}/attendance":      domain.ScopeBookings,
	"POST /api/v1/bookings/{id}/rating":          domain.ScopeBookings,
	"POST /api/v1/vouchers/{code}/release":       domain.ScopeVouchers,
	"POST /api/v1/vouchers/{code}/forfeit":       domain.ScopeVouchers,
	"PUT /api/v1/vouchers/{code}/holder":         domain.ScopeVouchers,
	"POST /api/v1/funding-requests":              domain.ScopeVouchers,
	"POST /api/v1/funding-requests/{id}/accept":  domain.ScopeVouchers,
	"POST /api/v1/funding-requests/{id}/decline": domain.ScopeVouchers,
}
