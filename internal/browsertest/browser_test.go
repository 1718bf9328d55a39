package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
)

const (
	thomasEmail = "thomas@futurehausen.example"
	thomasName  = "Thomas Tüchtig"
	adminEmail  = "admin@lotse.example"
	adminName   = "Ada Admin"
	futurehsn   = "Stadt Futurehausen"
	mariaEmail  = "maria@futurehausen.example"
	mariaName   = "Maria Mustermann"
)

// tableRows returns the texts of the cells of the body rows of the table
// whose caption is caption.
func tableRows(t *testing.T, ctx context.Context, caption string) [][]string {
	t.Helper()
	return eval[[][]string](t, ctx, `(() => {
		const t = [...document.querySelectorAll('table')].find(t => t.caption && t.caption.textContent.trim() === `+jsString(caption)+`);
		if (!t) return null;
		return [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim()));
	})()`)
}

// row returns the first row whose cell col equals want, or nil.
func row(rows [][]string, col int, want string) []string {
	for _, r := range rows {
		if len(r) > col && r[col] == want {
			return r
		}
	}
	return nil
}

var invitationLinkRE = regexp.MustCompile(`https?://\S+/einladung/\S+`)

// TestThomasInvitesAColleague walks through an invitation as the people of
// Futurehausen would: Thomas, the account administrator, logs in and invites
// Maria from the personnel department; Maria opens the link from the mail in
// her own browser, creates her account and is a member.
func TestThomasInvitesAColleague(t *testing.T) {
	chromium(t)
	srv := startServer(t)
	ctx := testContext(t)
	thomas := newBrowser(t, ctx)

	// Thomas comes to the start page and follows the link to log in.
	navigate(t, thomas, srv.url+"/", 200)
	submit(t, thomas, "follow the link Anmelden",
		chromedp.Click(`//header//a[normalize-space()="Anmelden"]`))
	if loc := eval[string](t, thomas, "location.pathname"); loc != "/anmelden" {
		t.Fatalf("the link Anmelden led to %s, want /anmelden", loc)
	}
	do(t, thomas, "type e-mail address and password",
		chromedp.SendKeys(chromedp.CSS("#f-email"), thomasEmail),
		chromedp.SendKeys(chromedp.CSS("#f-password"), demoPassword),
	)
	submit(t, thomas, "submit the login form",
		chromedp.Click(chromedp.CSS(`main form[action="/anmelden"] button[type="submit"]`)))
	if txt := pageText(t, thomas); !strings.Contains(txt, "Angemeldet als "+thomasName) {
		t.Fatalf("after login the page does not say %q:\n%s", "Angemeldet als "+thomasName, abbrev(txt))
	}

	// He goes to his organisation through the header navigation.
	res := submit(t, thomas, "follow the navigation link "+futurehsn,
		chromedp.Click(`//nav[@aria-label="Hauptnavigation"]//a[normalize-space()="`+futurehsn+`"]`))
	if res.Status != 200 {
		t.Fatalf("organisation page: status %d", res.Status)
	}
	orgURL := eval[string](t, thomas, "location.origin + location.pathname")
	if want := fmt.Sprintf("%s/organisationen/%d", srv.url, srv.orgID(t, futurehsn)); orgURL != want {
		t.Fatalf("navigation led to %s, want %s", orgURL, want)
	}
	if h1 := eval[string](t, thomas, "document.querySelector('h1').innerText"); h1 != futurehsn {
		t.Fatalf("organisation page heading %q, want %q", h1, futurehsn)
	}

	// He invites Maria for the personnel department.
	do(t, thomas, "type Maria's address and tick Personalabteilung by its label",
		chromedp.SendKeys(chromedp.CSS("#f-email"), mariaEmail),
		chromedp.Click(chromedp.CSS(`label[for="inv-hr"]`)),
	)
	if label := eval[string](t, thomas, `document.querySelector('label[for="inv-hr"]').innerText`); label != "Personalabteilung" {
		t.Errorf("label of role hr is %q, want Personalabteilung", label)
	}
	if !eval[bool](t, thomas, `document.getElementById('inv-hr').checked`) {
		t.Fatal("a click on the label Personalabteilung did not tick the box")
	}
	res = submit(t, thomas, "send the invitation",
		chromedp.Click(chromedp.CSS(`form[action$="/einladungen"] button[type="submit"]`)))
	if res.Status != 200 {
		t.Fatalf("after the invitation: status %d", res.Status)
	}
	notice := eval[string](t, thomas, `(document.querySelector('.kern-alert--success') || {innerText: ''}).innerText.trim()`)
	if notice != "Die Einladung wurde verschickt." {
		t.Errorf("success notice %q, want %q\npage:\n%s", notice, "Die Einladung wurde verschickt.", abbrev(pageText(t, thomas)))
	}
	inv := row(tableRows(t, thomas, "Einladungen"), 0, mariaEmail)
	if inv == nil {
		t.Fatalf("the invitations table does not list %s: %v", mariaEmail, tableRows(t, thomas, "Einladungen"))
	}
	if len(inv) < 4 || !strings.Contains(inv[1], "Personalabteilung") || !strings.HasPrefix(inv[3], "offen") {
		t.Errorf("invitation row %q, want roles Personalabteilung and status offen", inv)
	}
	screenshot(t, thomas, "1-einladung-verschickt")

	// The invitation link is in the mail in the outbox.
	mails, err := srv.db.Outbox(ctx, 0, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	var link string
	for _, m := range mails {
		if m.To == mariaEmail {
			link = invitationLinkRE.FindString(m.Body)
			break
		}
	}
	if link == "" || !strings.HasPrefix(link, srv.url+"/einladung/") {
		t.Fatalf("no invitation link to %s/einladung/ in the mails of the outbox: %+v", srv.url, mails)
	}

	// Maria opens it in her own browser, with no cookies of Thomas.
	maria := newBrowser(t, ctx)
	navigate(t, maria, link, 200)
	if h1 := eval[string](t, maria, "document.querySelector('h1').innerText"); h1 != "Einladung zu "+futurehsn {
		t.Fatalf("invitation page heading %q", h1)
	}
	if strings.Contains(pageText(t, maria), "Angemeldet als") {
		t.Fatal("Maria's browser is logged in before she has an account")
	}
	do(t, maria, "type name and password",
		chromedp.SendKeys(chromedp.CSS("#f-name"), mariaName),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "Maria-Passwort-2026"),
	)
	res = submit(t, maria, "create the account and join",
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if res.Status != 200 {
		t.Fatalf("after joining: status %d\n%s", res.Status, abbrev(pageText(t, maria)))
	}
	if loc := eval[string](t, maria, "location.origin + location.pathname"); loc != orgURL {
		t.Errorf("after joining Maria is on %s, want %s", loc, orgURL)
	}
	txt := pageText(t, maria)
	for _, want := range []string{"Angemeldet als " + mariaName, "Sie sind der Organisation beigetreten."} {
		if !strings.Contains(txt, want) {
			t.Errorf("after joining the page does not say %q:\n%s", want, abbrev(txt))
		}
	}
	members := tableRows(t, maria, "Mitglieder von "+futurehsn)
	if m := row(members, 1, mariaEmail); m == nil || !strings.Contains(m[0], "Maria") {
		t.Errorf("the members table does not list Maria: %q", members)
	}
	screenshot(t, maria, "2-maria-ist-mitglied")

	// Thomas sees her as a member, and the invitation as accepted.
	navigate(t, thomas, orgURL, 200)
	members = tableRows(t, thomas, "Mitglieder von "+futurehsn)
	if m := row(members, 1, mariaEmail); m == nil || !strings.Contains(m[0], mariaName) {
		t.Errorf("Thomas does not see Maria among the members: %q", members)
	}
	if inv := row(tableRows(t, thomas, "Einladungen"), 0, mariaEmail); inv == nil || len(inv) < 4 || !strings.HasPrefix(inv[3], "angenommen") {
		t.Errorf("invitation row after joining %q, want status angenommen", inv)
	}
}

// focused describes the focused element.
type focused struct {
	Tag, ID, Text, Href string
	Invalid             string
	// The bounding box, the viewport and whether the element is visible.
	Left, Top, Width, Height float64
	ViewW, ViewH             float64
	Visible                  bool
}

const focusedJS = `(() => {
	const e = document.activeElement;
	if (!e) return null;
	const r = e.getBoundingClientRect();
	return {Tag: e.tagName.toLowerCase(), ID: e.id, Text: (e.innerText || '').trim(), Href: e.getAttribute('href') || '',
		Invalid: e.getAttribute('aria-invalid') || '',
		Left: r.left, Top: r.top, Width: r.width, Height: r.height,
		ViewW: document.documentElement.clientWidth, ViewH: document.documentElement.clientHeight,
		Visible: e.checkVisibility({opacityProperty: true, visibilityProperty: true})};
})()`

func focus(t *testing.T, ctx context.Context) focused {
	t.Helper()
	return eval[focused](t, ctx, focusedJS)
}

// TestKeyboardOnly uses the login page with the keyboard alone: the skip
// link comes first and is visible when focused, it leads into the content,
// and a wrong submission shows the errors at the fields.
func TestKeyboardOnly(t *testing.T) {
	chromium(t)
	srv := startServer(t)
	ctx := testContext(t)
	b := newBrowser(t, ctx)

	navigate(t, b, srv.url+"/anmelden", 200)
	if f := focus(t, b); f.Tag != "body" {
		t.Fatalf("before any key the focus is on %+v, want the page itself", f)
	}

	do(t, b, "press Tab", chromedp.KeyEvent(kb.Tab))
	f := focus(t, b)
	if f.Tag != "a" || f.Text != "Zum Inhalt springen" || f.Href != "#inhalt" {
		t.Fatalf("first Tab focuses %+v, want the skip link „Zum Inhalt springen“ to #inhalt", f)
	}
	// Visually hidden it is a 1×1 box; focused it must be readable and on screen.
	if !f.Visible || f.Width < 24 || f.Height < 16 || f.Left < 0 || f.Top < 0 || f.Left+f.Width > f.ViewW || f.Top+f.Height > f.ViewH {
		t.Errorf("the focused skip link is not visible in the viewport: box %.0f,%.0f %.0f×%.0f in a viewport of %.0f×%.0f (visible %v)",
			f.Left, f.Top, f.Width, f.Height, f.ViewW, f.ViewH, f.Visible)
	}
	screenshot(t, b, "1-skip-link")

	// Enter follows the skip link into the content; the next Tab reaches
	// the first field of the form.
	do(t, b, "press Enter on the skip link", chromedp.KeyEvent(kb.Enter))
	waitFor(t, b, "focus in #inhalt", `document.activeElement && document.activeElement.id === 'inhalt'`)
	do(t, b, "press Tab", chromedp.KeyEvent(kb.Tab))
	if f := focus(t, b); f.ID != "f-email" {
		t.Fatalf("Tab after the skip link focuses %+v, want the field f-email", f)
	}

	// Submit the empty form with Enter.
	res := submit(t, b, "press Enter in the empty e-mail field", chromedp.KeyEvent(kb.Enter))
	if res.Status < 400 || res.Status >= 500 {
		t.Errorf("empty login form: status %d, want a 4xx", res.Status)
	}
	type fieldState struct {
		Invalid, DescribedBy, Error string
		ErrorNextToField            bool
	}
	for _, c := range []struct{ field, msg string }{
		{"email", "Bitte geben Sie Ihre E-Mail-Adresse an."},
		{"password", "Bitte geben Sie Ihr Passwort an."},
	} {
		st := eval[fieldState](t, b, `(() => {
			const f = document.getElementById('f-`+c.field+`'), e = document.getElementById('f-`+c.field+`-error');
			return {Invalid: f.getAttribute('aria-invalid') || '', DescribedBy: f.getAttribute('aria-describedby') || '',
				Error: e ? e.innerText.trim() : '', ErrorNextToField: !!e && e.parentElement === f.parentElement};
		})()`)
		if st.Invalid != "true" {
			t.Errorf("field %s: aria-invalid=%q, want \"true\"", c.field, st.Invalid)
		}
		if st.Error != c.msg {
			t.Errorf("field %s: error %q, want %q", c.field, st.Error, c.msg)
		}
		if !st.ErrorNextToField {
			t.Errorf("field %s: the error message is not next to the field", c.field)
		}
		if !strings.Contains(" "+st.DescribedBy+" ", " f-"+c.field+"-error ") {
			t.Errorf("field %s: aria-describedby=%q does not name the error", c.field, st.DescribedBy)
		}
	}
	// The error summary has the focus, says what is wrong and links to
	// each field.
	type summary struct {
		Title   string
		Links   []string
		Focused bool
	}
	sum := eval[summary](t, b, `(() => { const a = document.querySelector('[role="alert"]');
		if (!a) return {Title: '', Links: [], Focused: false};
		return {Title: a.querySelector('.kern-title').innerText.trim(), Links: [...a.querySelectorAll('a')].map(l => l.getAttribute('href') + ' ' + l.innerText.trim()),
			Focused: document.activeElement === a}; })()`)
	wantLinks := []string{"#f-email Bitte geben Sie Ihre E-Mail-Adresse an.", "#f-password Bitte geben Sie Ihr Passwort an."}
	if sum.Title != "Bitte prüfen Sie Ihre Eingaben." || strings.Join(sum.Links, "|") != strings.Join(wantLinks, "|") || !sum.Focused {
		t.Errorf("form error summary %+v, want the title %q with the links %q, focused", sum, "Bitte prüfen Sie Ihre Eingaben.", wantLinks)
	}
	screenshot(t, b, "2-fehler")
}

// axeViolation is the part of an axe-core result that a report needs.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  json.RawMessage `json:"target"`
		HTML    string          `json:"html"`
		Summary string          `json:"failureSummary"`
	} `json:"nodes"`
}

type axeResult struct {
	Version    string         `json:"version"`
	Passes     int            `json:"passes"`
	Violations []axeViolation `json:"violations"`
	Incomplete []string       `json:"incomplete"`
}

const axeRunJS = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
	.then(r => ({version: axe.version, passes: r.passes.length, incomplete: r.incomplete.map(v => v.id),
		violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))}))}))`

// runAxe injects axe-core into the page and checks it against WCAG 2.1 A
// and AA. The script goes in through the DevTools protocol, so the page's
// Content Security Policy, which forbids inline scripts, does not stop it.
func runAxe(t *testing.T, ctx context.Context, axeJS string) axeResult {
	t.Helper()
	eval[chromedp.Void](t, ctx, axeJS)
	res := eval[axeResult](t, ctx, axeRunJS, chromedp.EvalAwaitPromise)
	if res.Passes == 0 {
		t.Fatalf("axe %s checked nothing on the page", res.Version)
	}
	return res
}

// TestPagesPassAxe checks the pages with axe-core for violations of WCAG 2.1
// A and AA, as a visitor and logged in as the platform administrator.
func TestPagesPassAxe(t *testing.T) {
	chromium(t)
	axeJS, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t)
	orgID := srv.orgID(t, futurehsn)

	// Give the tables with row actions something to show: an open
	// invitation and an API token of the administrator.
	admin, err := srv.db.PersonByEmail(context.Background(), adminEmail)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := srv.db.Memberships(context.Background(), admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	actx := domain.WithActor(context.Background(), &domain.Actor{Person: admin, Memberships: ms})
	if _, err := account.New(srv.db, notify.MustNew(srv.url)).Invite(actx, orgID, "neu@futurehausen.example", []domain.Role{domain.RoleParticipant}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.db.CreateToken(actx, admin.ID, "Buchungssystem"); err != nil {
		t.Fatal(err)
	}

	ctx := testContext(t)
	b := newBrowser(t, ctx)

	// First make sure that the check finds what it must find.
	t.Run("selbsttest", func(t *testing.T) {
		navigate(t, b, srv.url+"/", 200)
		eval[chromedp.Void](t, b, `(() => {
			const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
			const input = document.createElement('input'); input.type = 'text';
			document.querySelector('main').append(img, input);
		})()`)
		found := map[string]bool{}
		for _, v := range runAxe(t, b, string(axeJS)).Violations {
			found[v.ID] = true
		}
		if !found["image-alt"] || !found["label"] {
			t.Fatalf("axe does not report an image without alt text and a field without label: %v", found)
		}
	})

	check := func(name, path string) {
		t.Run(name, func(t *testing.T) {
			navigate(t, b, srv.url+path, 200)
			res := runAxe(t, b, string(axeJS))
			for _, v := range res.Violations {
				var target, html string
				if len(v.Nodes) > 0 {
					target, html = string(v.Nodes[0].Target), v.Nodes[0].HTML
				}
				t.Errorf("%s: axe %s: %s (%s): %s\n\t%d element(s), first %s: %s\n\t%s",
					path, res.Version, v.ID, v.Impact, v.Help, len(v.Nodes), target, abbrev(html), v.HelpURL)
			}
			if len(res.Incomplete) > 0 {
				t.Logf("%s: axe could not decide, check by hand: %s", path, strings.Join(res.Incomplete, ", "))
			}
		})
	}
	check("start", "/")
	check("anmelden", "/anmelden")
	check("kommunen-suche", "/kommunen?q=futur")
	check("kommune", "/kommunen/"+demo.FuturehausenAGS)
	login(t, b, srv.url, adminEmail, adminName)
	check("konto", "/konto")
	check("organisation", fmt.Sprintf("/organisationen/%d", orgID))
	if lilly, err := srv.db.PersonByEmail(context.Background(), lillyEmail); err == nil {
		check("mitglied", fmt.Sprintf("/organisationen/%d/mitglieder/%d", orgID, lilly.ID))
	} else {
		t.Error(err)
	}
	check("admin", "/admin")
	check("postausgang", "/admin/postausgang")
	// Own account and legal pages.
	check("protokoll", "/admin/protokoll")
	check("barrieremeldungen", "/admin/barrieremeldungen")
	check("impressum", "/impressum")
	check("datenschutz", "/datenschutz")
	check("barrierefreiheit", "/barrierefreiheit")
	check("leichte-sprache", "/leichte-sprache")
	// Search thesaurus: the page with a probe.
	check("suchbegriffe", "/admin/suchbegriffe?probe=GemO")
}

// TestButtonLabelsFit checks that the label of every button fits inside the
// button. (KERN sizes an x-small button that holds a .kern-sr-only element
// as an icon button, 32 px wide, and a visible label then spills out.)
func TestButtonLabelsFit(t *testing.T) {
	chromium(t)
	srv := startServer(t)
	orgID := srv.orgID(t, futurehsn)
	thomas, err := srv.db.PersonByEmail(context.Background(), thomasEmail)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := srv.db.Memberships(context.Background(), thomas.ID)
	if err != nil {
		t.Fatal(err)
	}
	actx := domain.WithActor(context.Background(), &domain.Actor{Person: thomas, Memberships: ms})
	if _, err := account.New(srv.db, notify.MustNew(srv.url)).Invite(actx, orgID, mariaEmail, []domain.Role{domain.RoleHR}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.db.CreateToken(actx, thomas.ID, "Buchungssystem"); err != nil {
		t.Fatal(err)
	}

	ctx := testContext(t)
	b := newBrowser(t, ctx)
	login(t, b, srv.url, thomasEmail, thomasName)
	lilly, err := srv.db.PersonByEmail(context.Background(), lillyEmail)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fmt.Sprintf("/organisationen/%d", orgID), fmt.Sprintf("/organisationen/%d/mitglieder/%d", orgID, lilly.ID), "/konto"} {
		navigate(t, b, srv.url+path, 200)
		spills := eval[[]string](t, b, `[...document.querySelectorAll('.kern-btn')].flatMap(btn => {
			const l = btn.querySelector('.kern-label'); if (!l || !btn.checkVisibility()) return [];
			const b = btn.getBoundingClientRect(), r = l.getBoundingClientRect();
			if (r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1) return [];
			return [JSON.stringify(l.innerText.trim()) + ': label ' + Math.round(r.width) + '×' + Math.round(r.height) +
				' in a button of ' + Math.round(b.width) + '×' + Math.round(b.height) + ' (' + btn.className + ')'];
		})`)
		for _, s := range spills {
			t.Errorf("%s: the label spills out of its button: %s", path, s)
		}
	}
}
