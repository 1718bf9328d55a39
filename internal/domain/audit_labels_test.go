package domain_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

// dynamicActions are the audit calls whose action is computed, by file and
// function, with every action they can write. A new computed action fails
// the test until it is listed here (and labelled).
var dynamicActions = map[string][]string{
	"store/vouchers.go:voucherEventReason":   voucherActions(),
	"store/applications.go:ApplicationEvent": nil, // its actions come from the ApplicationEvent calls
	"store/mailbox.go:ArchiveMessage":        {"message.archive", "message.unarchive"},
	"catalog/service.go:review":              {"offer.publish", "offer.return"},
	"funding/applications.go:decide":         {"application.reject", "application.return"},
	"store/db.go:Audit":                      nil, // the exported wrapper of audit
	"store/review.go:ReviewEvent": {"application.prepare_approve", "application.prepare_reject", "application.prepare_return",
		"application.confirm", "application.discard"},
	"store/claims.go:StepClaim": {"claim.create", "claim.change", "claim.submit", "claim.withdraw", "claim.check", "claim.approve",
		"claim.return", "claim.note"},
	"store/funding_requests.go:DecideFundingRequest": {"funding_request.voucher", "funding_request.application", "funding_request.declined"},
	"community/moderation.go:LockThread":             {"community.thread_lock", "community.thread_unlock"}, // community
	"store/programme_data.go:InsertProgramme":        {"programme.create", "programme.clone", "programme.import"},
}

func voucherActions() []string {
	var out []string
	for _, s := range []domain.VoucherState{domain.VoucherIssued, domain.VoucherReserved, domain.VoucherRedeemed, domain.VoucherSettled,
		domain.VoucherExpired, domain.VoucherRevoked, domain.VoucherForfeited} {
		out = append(out, "voucher."+string(s))
	}
	return out
}

// TestEveryAuditActionHasAGermanLabel reads the source: every call of
// Audit/audit (action is the third argument) and of ApplicationEvent (the
// action after "application.") must write an action that has a label.
func TestEveryAuditActionHasAGermanLabel(t *testing.T) {
	root := filepath.Join("..")
	fset := token.NewFileSet()
	found := 0
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			site := rel + ":" + fn.Name.Name
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				var prefix string
				switch sel.Sel.Name {
				case "Audit", "audit":
				case "ApplicationEvent":
					prefix = "application."
				default:
					return true
				}
				if len(call.Args) < 4 {
					return true
				}
				lit, ok := call.Args[2].(*ast.BasicLit)
				if ok && lit.Kind == token.STRING {
					action, _ := strconv.Unquote(lit.Value)
					found++
					if !domain.HasAuditLabel(prefix + action) {
						t.Errorf("%s: audit action %q has no German label in domain/audit_labels.go", fset.Position(lit.Pos()), prefix+action)
					}
					return true
				}
				actions, listed := dynamicActions[site]
				seen[site] = true
				if !listed {
					t.Errorf("%s: audit action is computed; list its actions in dynamicActions under %q", fset.Position(call.Pos()), site)
				}
				for _, a := range actions {
					found++
					if !domain.HasAuditLabel(a) {
						t.Errorf("%s: audit action %q has no German label", site, a)
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for site := range dynamicActions {
		if !seen[site] {
			t.Errorf("dynamicActions lists %s, which has no computed audit call any more", site)
		}
	}
	if found < 40 {
		t.Fatalf("found only %d audit actions: does the scan still see the calls?", found)
	}
}

func TestAuditEntryReadsInWords(t *testing.T) {
	tests := []struct {
		e                    domain.AuditEntry
		label, object, actor string
	}{
		{domain.AuditEntry{Action: "application.submit", ObjectType: "application", ObjectID: "12", ObjectName: "WV-2026-000012", ActorName: "Lilly Lotse", ActorID: 7},
			"Antrag eingereicht", "Antrag WV-2026-000012", "Lilly Lotse"},
		{domain.AuditEntry{Action: "membership.set_roles", ObjectType: "person", ObjectID: "7", ObjectName: "Lilly Lotse"}, "Rollen geändert", "Lilly Lotse", "Plattform"},
		{domain.AuditEntry{Action: "booking.cancel", ObjectType: "booking", ObjectID: "5", ActorID: 3}, "Buchung storniert", "Buchung 5", "Person 3"},
		{domain.AuditEntry{Action: "offer.publish", ObjectType: "offer", ObjectID: "2", ObjectName: "Projektmanagement"}, "Angebot veröffentlicht", "Angebot „Projektmanagement“", "Plattform"},
		{domain.AuditEntry{Action: "neu.unbekannt", ObjectType: "ding", ObjectID: "1"}, "neu.unbekannt", "ding 1", "Plattform"},
	}
	for _, tt := range tests {
		if got := tt.e.Label(); got != tt.label {
			t.Errorf("%s: Label() = %q, want %q", tt.e.Action, got, tt.label)
		}
		if got := tt.e.ObjectLabel(); got != tt.object {
			t.Errorf("%s: ObjectLabel() = %q, want %q", tt.e.Action, got, tt.object)
		}
		if got := tt.e.ActorLabel(); got != tt.actor {
			t.Errorf("%s: ActorLabel() = %q, want %q", tt.e.Action, got, tt.actor)
		}
	}
}
