package funding_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// setFourEyes sets the default programme's four-eyes setting.
func setFourEyes(t *testing.T, db *store.DB, mode string) {
	t.Helper()
	ctx := context.Background()
	p, err := db.Programme(ctx, programmes.BWID)
	if err != nil {
		t.Fatal(err)
	}
	p.FourEyes = mode
	if err := db.SaveProgramme(ctx, p); err != nil {
		t.Fatal(err)
	}
}

// addReviewer gives the association a further reviewer and acts as them.
func addReviewer(t *testing.T, db *store.DB, association, email, name string) context.Context {
	t.Helper()
	ctx := context.Background()
	orgs, _, err := db.Organisations(ctx, domain.OrgFilter{Query: &association})
	if err != nil || len(orgs) == 0 {
		t.Fatalf("association %q: %v", association, err)
	}
	p := storetest.MustCreatePerson(t, db, email, name)
	if err := db.SetRoles(ctx, orgs[0].ID, p.ID, []domain.Role{domain.RoleReviewer}); err != nil {
		t.Fatal(err)
	}
	return fundingtest.As(t, db, email)
}

// submitted is a submitted base-track application of Futurehausen for two.
func submitted(t *testing.T, ctx context.Context, db *store.DB, org *domain.Organisation, provider int64) *domain.Application {
	t.Helper()
	a := draft(t, ctx, db, org, provider, 2)
	a, err := fund(db).SubmitApplication(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func actions(a *domain.Application) string {
	var out []string
	for _, e := range a.Events {
		out = append(out, e.Action)
	}
	return strings.Join(out, ",")
}

func mailboxOf(t *testing.T, db *store.DB, orgID int64) []domain.Message {
	t.Helper()
	msgs, _, _, err := db.Messages(context.Background(), store.MailboxFilter{OrgIDs: []int64{orgID}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestFourEyesApprovalIsPreparedByOneReviewerAndConfirmedByAnother(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		setFourEyes(t, db, domain.FourEyesAll)
		petra := reviewerCtx(t, db)
		rita := addReviewer(t, db, programmes.Staedtetag, "rita@staedtetag-bw.example", "Rita Zweitprüferin")
		gerd := addReviewer(t, db, programmes.Gemeindetag, "gerd@gemeindetag-bw.example", "Gerd Gemeindetag")
		a := submitted(t, ctx, db, org, provider)

		got, err := fund(db).ApproveApplication(petra, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.AppSubmitted || got.Pending == nil || got.Pending.Action != domain.DecisionApprove ||
			got.Pending.PreparedByName != "Petra Prüfer" || len(got.Vouchers) != 0 {
			t.Fatalf("prepared approval: status %s, pending %+v, %d vouchers", got.Status, got.Pending, len(got.Vouchers))
		}
		if m := storetest.LastMail(t, db, "rita@staedtetag-bw.example"); !strings.Contains(m.Subject, "wartet auf Ihre Bestätigung") {
			t.Fatalf("second reviewer's mail: %q", m.Subject)
		}
		// The same person can neither approve again nor confirm.
		_, err = fund(db).ApproveApplication(petra, a.ID)
		storetest.WantCode(t, err, domain.EConflict)
		_, err = fund(db).ConfirmDecision(petra, a.ID)
		storetest.WantCode(t, err, domain.EConflict)
		if !strings.Contains(domain.ErrorMessage(err), "zweite Person") {
			t.Fatalf("refusal says %q", domain.ErrorMessage(err))
		}
		// A reviewer of another association does not even see it.
		_, err = fund(db).ConfirmDecision(gerd, a.ID)
		storetest.WantCode(t, err, domain.ENotFound)
		// The municipality sees neither the prepared decision nor the steps.
		seen, err := fund(db).Application(ctx, a.ID, "application.view")
		if err != nil {
			t.Fatal(err)
		}
		if seen.Pending != nil || strings.Contains(actions(seen), "prepare") {
			t.Fatalf("municipality sees the reviewers' work: %+v %s", seen.Pending, actions(seen))
		}

		got, err = fund(db).ConfirmDecision(rita, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.AppApproved || got.Pending != nil || len(got.Vouchers) != 2 {
			t.Fatalf("confirmed: status %s, pending %+v, %d vouchers", got.Status, got.Pending, len(got.Vouchers))
		}
		if acts := actions(got); acts != "create,submit,prepare_approve,confirm,approve" {
			t.Fatalf("history %s", acts)
		}
		rita2 := fundingtest.As(t, db, "rita@staedtetag-bw.example")
		if got.DecidedBy != domain.ActorFrom(rita2).PersonID() {
			t.Fatalf("decided by %d, want the confirming reviewer", got.DecidedBy)
		}
		box := mailboxOf(t, db, org.ID)
		if len(box) != 1 || len(box[0].Attachments) != 0 || !strings.Contains(box[0].Subject, "Weitergabevertrag") {
			t.Fatalf("municipality's mailbox after the approval: %+v", box)
		}
		audit, _, err := db.Audit(context.Background(), domain.AuditFilter{OrgID: got.ReviewerID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, e := range audit {
			if strings.HasPrefix(e.Action, "application.") {
				steps = append(steps, e.Action)
			}
		}
		if s := strings.Join(steps, " "); !strings.Contains(s, "application.prepare_approve") || !strings.Contains(s, "application.confirm") {
			t.Fatalf("association's audit log: %s", s)
		}
	})
}

func TestFourEyesRejectionConfirmedThroughTheSameStep(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		setFourEyes(t, db, domain.FourEyesAll)
		petra := reviewerCtx(t, db)
		rita := addReviewer(t, db, programmes.Staedtetag, "rita@staedtetag-bw.example", "Rita Zweitprüferin")
		a := submitted(t, ctx, db, org, provider)
		_, err := fund(db).RejectApplication(petra, a.ID, "")
		storetest.WantCode(t, err, domain.EInvalid)
		if _, err := fund(db).RejectApplication(petra, a.ID, "Das Kontingent ist ausgeschöpft."); err != nil {
			t.Fatal(err)
		}
		// A different decision by the second reviewer is refused, naming
		// the pending one.
		_, err = fund(db).ApproveApplication(rita, a.ID)
		storetest.WantCode(t, err, domain.EConflict)
		if !strings.Contains(domain.ErrorMessage(err), "Petra Prüfer hat bereits eine Ablehnung vorbereitet") {
			t.Fatalf("mismatch says %q", domain.ErrorMessage(err))
		}
		_, err = fund(db).RejectApplication(rita, a.ID, "Ein anderer Grund.")
		storetest.WantCode(t, err, domain.EConflict)
		got, err := fund(db).RejectApplication(rita, a.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.AppRejected || got.Reason != "Das Kontingent ist ausgeschöpft." {
			t.Fatalf("confirmed rejection: %s %q", got.Status, got.Reason)
		}
		box := mailboxOf(t, db, org.ID)
		if len(box) != 1 || !strings.Contains(box[0].Subject, "abgelehnt") || !strings.Contains(box[0].Body, "Das Kontingent ist ausgeschöpft.") ||
			box[0].ApplicationID != a.ID || !strings.Contains(box[0].Body, "/antraege/"+itoa(a.ID)+"#gespraech") {
			t.Fatalf("municipality's mailbox: %+v", box)
		}
	})
}

func TestFourEyesDiscard(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		setFourEyes(t, db, domain.FourEyesAll)
		petra := reviewerCtx(t, db)
		rita := addReviewer(t, db, programmes.Staedtetag, "rita@staedtetag-bw.example", "Rita Zweitprüferin")
		a := submitted(t, ctx, db, org, provider)
		_, err := fund(db).DiscardDecision(rita, a.ID, "Warum?")
		storetest.WantCode(t, err, domain.EConflict)
		if _, err := fund(db).ReturnApplication(petra, a.ID, "Bitte die Personenzahl prüfen."); err != nil {
			t.Fatal(err)
		}
		_, err = fund(db).DiscardDecision(rita, a.ID, "  ")
		storetest.WantCode(t, err, domain.EInvalid)
		_, err = fund(db).DiscardDecision(ctx, a.ID, "Nein")
		storetest.WantCode(t, err, domain.EForbidden)
		got, err := fund(db).DiscardDecision(rita, a.ID, "Die Personenzahl stimmt, bitte genehmigen.")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.AppSubmitted || got.Pending != nil || !strings.HasSuffix(actions(got), "prepare_return,discard") {
			t.Fatalf("after discarding: %s %+v %s", got.Status, got.Pending, actions(got))
		}
		if e := got.Events[len(got.Events)-1]; !strings.Contains(e.Comment, "Die Personenzahl stimmt") {
			t.Fatalf("discard comment: %q", e.Comment)
		}
		// Petra, who prepared it, learns why; once.
		discarded := 0
		for _, m := range storetest.Mails(t, db) {
			if strings.Contains(m.Subject, "wurde verworfen") {
				if m.To != "pruefung@staedtetag-bw.example" || !strings.Contains(m.Body, "Die Personenzahl stimmt") {
					t.Fatalf("discard notice to %s:\n%s", m.To, m.Body)
				}
				discarded++
			}
		}
		if discarded != 1 {
			t.Fatalf("%d discard notices, want 1 to Petra", discarded)
		}
		// Now Rita prepares, and may take her own decision back silently.
		if _, err := fund(db).ApproveApplication(rita, a.ID); err != nil {
			t.Fatal(err)
		}
		if got, err = fund(db).DiscardDecision(rita, a.ID, ""); err != nil || got.Pending != nil {
			t.Fatalf("taking back one's own decision: %v", err)
		}
		n := 0
		for _, m := range storetest.Mails(t, db) {
			if strings.Contains(m.Subject, "wurde verworfen") {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("taking back one's own decision sent a notice (%d in all)", n)
		}
		if len(mailboxOf(t, db, org.ID)) != 0 {
			t.Fatal("a discarded decision reached the municipality")
		}
	})
}

func TestFourEyesConcurrentConfirmationsExecuteOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		setFourEyes(t, db, domain.FourEyesAll)
		a := submitted(t, ctx, db, org, provider)
		if _, err := fund(db).ApproveApplication(reviewerCtx(t, db), a.ID); err != nil {
			t.Fatal(err)
		}
		confirmers := []context.Context{
			addReviewer(t, db, programmes.Staedtetag, "rita@staedtetag-bw.example", "Rita Zweitprüferin"),
			addReviewer(t, db, programmes.Staedtetag, "rolf@staedtetag-bw.example", "Rolf Drittprüfer"),
		}
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = fund(db).ConfirmDecision(confirmers[i%2], a.ID)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case domain.ErrorCode(err) != domain.EConflict:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d confirmations succeeded, want 1", ok)
		}
		got, err := db.Application(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.AppApproved || len(got.Vouchers) != 2 || strings.Count(actions(got), "approve") != 2 {
			t.Fatalf("after concurrent confirmations: %s, %d vouchers, %s", got.Status, len(got.Vouchers), actions(got))
		}
		if box := mailboxOf(t, db, org.ID); len(box) != 1 {
			t.Fatalf("%d approval messages", len(box))
		}
	})
}

func TestFourEyesFollowsTheSettingAndTheApplicantKind(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		petra := reviewerCtx(t, db)
		p, err := db.Programme(context.Background(), programmes.BWID)
		if err != nil || p.FourEyes != domain.FourEyesOff {
			t.Fatalf("BW ships with four eyes %q, %v", p.FourEyes, err)
		}
		for _, c := range []struct {
			mode    string
			prepare bool
		}{
			{domain.FourEyesOff, false},
			{domain.FourEyesDistricts, false}, // Futurehausen is a municipality
			{domain.FourEyesMunicipalities, true},
		} {
			setFourEyes(t, db, c.mode)
			a := draft(t, ctx, db, org, provider, 1)
			if _, err := fund(db).SubmitApplication(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
			got, err := fund(db).ReturnApplication(petra, a.ID, "Bitte ergänzen.")
			if err != nil {
				t.Fatal(err)
			}
			if prepared := got.Status == domain.AppSubmitted && got.Pending != nil; prepared != c.prepare {
				t.Errorf("four eyes %q: status %s, pending %v; want prepared=%v", c.mode, got.Status, got.Pending, c.prepare)
			}
			if !c.prepare {
				if _, err := fund(db).WithdrawApplication(ctx, a.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		// A pending decision gives way when four eyes are switched off and a
		// reviewer decides alone; a withdrawal closes it too.
		setFourEyes(t, db, domain.FourEyesOff)
		apps, _, err := db.Applications(context.Background(), domain.ApplicationFilter{Status: domain.AppSubmitted})
		if err != nil || len(apps) != 1 {
			t.Fatalf("submitted applications: %d, %v", len(apps), err)
		}
		got, err := fund(db).ApproveApplication(petra, apps[0].ID)
		if err != nil || got.Status != domain.AppApproved || got.Pending != nil {
			t.Fatalf("single-step approval with an old pending decision: %v", err)
		}
	})
}

func TestConversationVisibility(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		petra := reviewerCtx(t, db)
		rita := addReviewer(t, db, programmes.Staedtetag, "rita@staedtetag-bw.example", "Rita Zweitprüferin")
		gerd := addReviewer(t, db, programmes.Gemeindetag, "gerd@gemeindetag-bw.example", "Gerd Gemeindetag")
		anna := fundingtest.As(t, db, "anna@futurehausen.example")
		thomas := fundingtest.As(t, db, "thomas@futurehausen.example")
		niklas := fundingtest.As(t, db, "niklas@futurehausen.example")
		d := draft(t, ctx, db, org, provider, 1)
		// Before submission there is nobody to talk to.
		_, err := fund(db).AddComment(ctx, d.ID, "Hallo?", false)
		storetest.WantCode(t, err, domain.EConflict)
		a := submitted(t, ctx, db, org, provider)
		const secret = "Intern: die Kommune hat letztes Jahr schon zwei Plätze verfallen lassen."
		if _, err := fund(db).AddComment(petra, a.ID, secret, true); err != nil {
			t.Fatal(err)
		}
		q, err := fund(db).AddComment(petra, a.ID, "Welcher Termin ist geplant?", false)
		if err != nil {
			t.Fatal(err)
		}
		if q.Visibility != domain.CommentApplicant || q.OrgID != a.ReviewerID {
			t.Fatalf("question %+v", q)
		}
		_, err = fund(db).AddComment(petra, a.ID, " ", false)
		storetest.WantCode(t, err, domain.EInvalid)
		// The municipality answers; it cannot write internal notes.
		_, err = fund(db).AddComment(anna, a.ID, "Geheim", true)
		storetest.WantCode(t, err, domain.EForbidden)
		ans, err := fund(db).AddComment(thomas, a.ID, "Der Termin im Mai.", false)
		if err != nil || ans.OrgID != org.ID || ans.Internal() {
			t.Fatalf("answer %+v, %v", ans, err)
		}
		_, err = fund(db).AddComment(niklas, a.ID, "Ich auch", false)
		storetest.WantCode(t, err, domain.ENotFound)
		_, err = fund(db).AddComment(gerd, a.ID, "Wir auch", false)
		storetest.WantCode(t, err, domain.ENotFound)

		for _, c := range []struct {
			who  string
			ctx  context.Context
			want int
		}{{"signatory", ctx, 2}, {"hr", anna, 2}, {"account admin", thomas, 2}, {"reviewer", petra, 3}, {"second reviewer", rita, 3}} {
			cs, err := fund(db).Comments(c.ctx, a.ID)
			if err != nil || len(cs) != c.want {
				t.Errorf("%s reads %d comments, want %d (%v)", c.who, len(cs), c.want, err)
			}
			for _, x := range cs {
				if c.want == 2 && (x.Internal() || x.Body == secret) {
					t.Errorf("%s reads the internal note", c.who)
				}
			}
		}
		for _, who := range []context.Context{niklas, gerd} {
			_, err := fund(db).Comments(who, a.ID)
			storetest.WantCode(t, err, domain.ENotFound)
		}
		// The question reached the municipality's mailbox, the answer the
		// association's; the internal note reached nobody.
		box := mailboxOf(t, db, org.ID)
		if len(box) != 1 || box[0].Subject != "Rückfrage zu Ihrem Antrag Nr. "+itoa(a.ID) || !strings.Contains(box[0].Body, "Welcher Termin ist geplant?") {
			t.Fatalf("municipality's mailbox: %+v", box)
		}
		assoc := mailboxOf(t, db, a.ReviewerID)
		var subjects []string
		for _, m := range assoc {
			subjects = append(subjects, m.Subject)
		}
		if len(assoc) != 2 || !strings.Contains(assoc[0].Body, "Der Termin im Mai.") || !strings.HasPrefix(assoc[1].Subject, "Neuer Antrag zur Prüfung") ||
			!strings.Contains(assoc[1].Body, "Personen: 2") {
			t.Fatalf("association's mailbox: %q", subjects)
		}
		for _, m := range storetest.Mails(t, db) {
			if strings.Contains(m.Body, "verfallen") {
				t.Fatalf("the internal note went out by mail to %s", m.To)
			}
		}
		for _, m := range append(box, assoc...) {
			if strings.Contains(m.Body, "verfallen") {
				t.Fatal("the internal note is in a mailbox")
			}
		}
		fhAudit, _, err := db.Audit(context.Background(), domain.AuditFilter{OrgID: org.ID, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range fhAudit {
			if strings.Contains(e.Detail, "verfallen") || strings.Contains(e.Detail, `"internal"`) {
				t.Fatalf("the municipality's audit log shows the internal note: %+v", e)
			}
		}
		answered := map[string]bool{}
		for _, m := range storetest.Mails(t, db) {
			if strings.HasPrefix(m.Subject, "Antwort von der Stadt Futurehausen") {
				answered[m.To] = true
			}
		}
		if !answered["pruefung@staedtetag-bw.example"] || !answered["rita@staedtetag-bw.example"] || len(answered) != 2 {
			t.Fatalf("answer mailed to %v, want the association's reviewers", answered)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestWithdrawalClosesAPendingDecision(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		setFourEyes(t, db, domain.FourEyesAll)
		rita := addReviewer(t, db, programmes.Staedtetag, "rita@staedtetag-bw.example", "Rita Zweitprüferin")
		a := submitted(t, ctx, db, org, provider)
		if _, err := fund(db).ApproveApplication(reviewerCtx(t, db), a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := fund(db).WithdrawApplication(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		_, err := fund(db).ConfirmDecision(rita, a.ID)
		storetest.WantCode(t, err, domain.EConflict)
		got, err := fund(db).Application(rita, a.ID, "application.view")
		if err != nil || got.Status != domain.AppWithdrawn || got.Pending != nil || len(got.Vouchers) != 0 {
			t.Fatalf("after withdrawal: %+v, %v", got, err)
		}
	})
}
