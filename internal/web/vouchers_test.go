package web

import (
	"context"
	"fmt"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
)

// matrixHolderFixture adds what the voucher holder routes of the matrix
// need: a funding request of Niklas ({request}), and it returns a voucher
// code of the approved application ({voucher}).
func matrixHolderFixture(t *testing.T, e *testEnv, ids map[string]int64) string {
	t.Helper()
	r, err := e.srv.app.Funding.RequestFunding(e.actorCtx("niklas@futurehausen.example"), funding.FundingRequestInput{Track: "basis",
		Reason: "Für die Matrix."})
	if err != nil {
		t.Fatal(err)
	}
	ids["request"] = r.ID
	a, err := e.db.Application(context.Background(), ids["appr"])
	if err != nil || len(a.Vouchers) == 0 {
		t.Fatalf("vouchers of the approved application: %v", err)
	}
	return a.Vouchers[0].Code
}

// actorCtx is a context acting as the demo person with the address.
func (e *testEnv) actorCtx(email string) context.Context {
	p := e.person(email)
	ms, _ := e.db.Memberships(context.Background(), p.ID)
	return domain.WithActor(context.Background(), &domain.Actor{Person: p, Memberships: ms})
}

// handTo hands a voucher to a person as Anna (HR of Futurehausen) through
// the API.
func handTo(t *testing.T, e *testEnv, code, email string) {
	t.Helper()
	res, body := e.apiAs("anna@futurehausen.example").json("PUT", "/api/v1/vouchers/"+code+"/holder", fmt.Sprintf(`{"email": %q}`, email))
	expect(t, res, body, 200)
}
