package browsertest

import (
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	lillyEmail    = "lilly@futurehausen.example"
	lillyName     = "Lilly Lotse"
	reviewerEmail = "pruefung@staedtetag-bw.example"
	reviewerName  = "Petra Prüfer"
	providerEmail = "kurse@verwaltungsschule-bw.example"
	providerName  = "Karl Kursleiter"

	// fundingTimeout bounds the whole story: three browsers, three axe runs.
	fundingTimeout = 85 * time.Second
)

var (
	voucherCodeRE = regexp.MustCompile(`^08999001-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`)
	editAppIDRE   = regexp.MustCompile(`^/antraege/(\d+)/bearbeiten$`)
)

// TestFundingStoryInTheBrowser walks through the funding programme as its
// people would: Lilly, signatory of Futurehausen, fills in and submits a
// transfer contract; Petra of the Städtetag finds it among the submitted
// applications and approves it; Lilly finds the contract and the voucher
// codes in the mailbox; Karl of the training provider checks a code.
func TestFundingStoryInTheBrowser(t *testing.T) {
	chromium(t)
	axeJS, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), fundingTimeout)
	t.Cleanup(cancel)

	// --- Lilly prepares and submits the contract. -------------------------
	lilly := newBrowser(t, ctx)
	login(t, lilly, srv.url, lillyEmail, lillyName)
	clickNav(t, lilly, "Anträge")
	wantPath(t, lilly, "/antraege")
	submit(t, lilly, "click Neuer Weitergabevertrag",
		chromedp.Click(`//main//a[normalize-space()="Neuer Weitergabevertrag für `+futurehsn+`"]`))
	wantPath(t, lilly, "/antraege/neu")

	// Step 1: the track and the first provider, chosen by their labels.
	do(t, lilly, "choose Basisqualifizierung and the Verwaltungsschule by their labels",
		chromedp.Click(`//label[starts-with(normalize-space(), "Basisqualifizierung")]`),
		chromedp.Click(`(//fieldset[legend[normalize-space()="Bildungsträger"]]//label)[1]`),
	)
	type choice struct{ Track, Provider, ProviderLabel string }
	ch := eval[choice](t, lilly, `(() => {
		const tr = document.querySelector('input[name=track]:checked'), pr = document.querySelector('input[name=provider]:checked');
		return {Track: tr ? tr.value : '', Provider: pr ? pr.value : '',
			ProviderLabel: pr ? document.querySelector('label[for="' + pr.id + '"]').innerText.trim() : ''};
	})()`)
	if ch.Track != "basis" || ch.Provider == "" || !strings.HasPrefix(ch.ProviderLabel, "Verwaltungsschule") {
		t.Fatalf("clicks on the labels chose %+v, want track basis and the Verwaltungsschule", ch)
	}
	clickButton(t, lilly, "Speichern und weiter")

	// Step 2: the contingent with its chart, then the number of people.
	m := editAppIDRE.FindStringSubmatch(eval[string](t, lilly, "location.pathname"))
	if m == nil || eval[string](t, lilly, "location.search") != "?schritt=2" {
		t.Fatalf("after step 1 the browser is on %s, want /antraege/{id}/bearbeiten?schritt=2\n%s",
			eval[string](t, lilly, "location.href"), abbrev(pageText(t, lilly)))
	}
	appPath := "/antraege/" + m[1]
	if txt := pageText(t, lilly); !strings.Contains(txt, "Noch frei") {
		t.Errorf("step 2 does not show the contingent (Noch frei):\n%s", abbrev(txt))
	}
	if !eval[bool](t, lilly, `(() => { const s = document.querySelector('section.kern-card svg');
		return !!s && s.checkVisibility() && s.getBoundingClientRect().width > 100 && s.querySelectorAll('rect').length > 0; })()`) {
		t.Error("step 2 shows no visible SVG chart with bars in the contingent box")
	}
	axeCheck(t, lilly, string(axeJS), "schritt-2")
	do(t, lilly, "type 2 people", chromedp.SendKeys(chromedp.CSS("#f-people"), "2"))
	screenshot(t, lilly, "1-schritt-2-personen")
	clickButton(t, lilly, "Speichern und weiter")

	// Step 3: the declaration.
	if s := eval[string](t, lilly, "location.search"); s != "?schritt=3" {
		t.Fatalf("after step 2 the browser is on %s\n%s", s, abbrev(pageText(t, lilly)))
	}
	do(t, lilly, "tick the declaration by its label", chromedp.Click(chromedp.CSS(`label[for="declarations"]`)))
	if !eval[bool](t, lilly, `document.getElementById('declarations').checked`) {
		t.Fatal("a click on the label of the declaration did not tick the box")
	}
	clickButton(t, lilly, "Speichern und weiter")

	// Step 4: the summary, then the binding submission.
	if s := eval[string](t, lilly, "location.search"); s != "?schritt=4" {
		t.Fatalf("after step 3 the browser is on %s\n%s", s, abbrev(pageText(t, lilly)))
	}
	summary := pageText(t, lilly)
	for _, want := range []string{"Zusammenfassung", "Basisqualifizierung", ch.ProviderLabel, "bestätigt"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary does not show %q:\n%s", want, abbrev(summary))
		}
	}
	clickButton(t, lilly, "Weitergabevertrag verbindlich einreichen")
	wantPath(t, lilly, appPath)
	wantNotice(t, lilly, "Der Weitergabevertrag wurde eingereicht")
	if badge := badgeText(t, lilly); badge != "Eingereicht" {
		t.Errorf("after submitting the status badge says %q, want Eingereicht", badge)
	}

	// --- Petra of the Städtetag approves it. ------------------------------
	petra := newBrowser(t, ctx)
	login(t, petra, srv.url, reviewerEmail, reviewerName)
	clickNav(t, petra, "Anträge")
	wantPath(t, petra, "/antraege")
	status := eval[string](t, petra, `(() => { const o = [...document.querySelectorAll('#f-status option')].find(o => o.text.trim() === 'Eingereicht');
		return o ? o.value : ''; })()`)
	if status == "" {
		t.Fatal("the status filter has no option Eingereicht")
	}
	do(t, petra, "choose status Eingereicht", chromedp.SetValue(chromedp.CSS("#f-status"), status))
	clickButton(t, petra, "Filtern")
	if q := eval[string](t, petra, "new URLSearchParams(location.search).get('status') || ''"); q != status {
		t.Errorf("after Filtern the status in the address is %q, want %q", q, status)
	}
	rows := tableRows(t, petra, "Anträge")
	if len(rows) == 0 {
		t.Fatalf("the filtered list shows no applications:\n%s", abbrev(pageText(t, petra)))
	}
	for _, r := range rows {
		if len(r) < 6 || r[5] != "Eingereicht" {
			t.Errorf("filtered by Eingereicht the list shows %q", r)
		}
	}
	if r := row(rows, 0, m[1]); r == nil || !strings.Contains(r[1], futurehsn) || r[4] != "2" {
		t.Fatalf("the list does not show application %s of %s for 2 people: %q", m[1], futurehsn, rows)
	}
	submit(t, petra, "open application "+m[1],
		chromedp.Click(`//table//a[normalize-space()="`+m[1]+`"]`))
	wantPath(t, petra, appPath)
	if txt := pageText(t, petra); !strings.Contains(txt, "Prüfung") || !strings.Contains(txt, "Genehmigen") {
		t.Fatalf("the application page offers Petra no review:\n%s", abbrev(txt))
	}
	axeCheck(t, petra, string(axeJS), "pruefung")
	screenshot(t, petra, "2-pruefung")
	// Genehmigen opens the consequences; the second button approves.
	do(t, petra, "open Genehmigen", chromedp.Click(`//main//summary[normalize-space()="Genehmigen …"]`))
	if txt := pageText(t, petra); !strings.Contains(txt, "2 Gutscheincodes") || !strings.Contains(txt, "nicht zurücknehmen") {
		t.Errorf("Genehmigen does not spell out the consequence (2 Gutscheincodes, not to be taken back):\n%s", abbrev(txt))
	}
	clickButton(t, petra, "Verbindlich genehmigen")
	wantPath(t, petra, appPath)
	wantNotice(t, petra, "Der Antrag ist genehmigt")
	if badge := badgeText(t, petra); badge != "Genehmigt" {
		t.Errorf("after approval the status badge says %q, want Genehmigt", badge)
	}
	codes := tableColumn(t, petra, "Gutscheincodes", 0)
	if len(codes) != 2 {
		t.Fatalf("the application page shows %d voucher codes, want 2: %q", len(codes), codes)
	}
	for _, c := range codes {
		if !voucherCodeRE.MatchString(c) {
			t.Errorf("voucher code %q does not look like 08999001-XXXX-XXXX-XXXX", c)
		}
	}

	// --- Lilly finds contract and codes in the mailbox. -------------------
	clickNav(t, lilly, "Postfach")
	wantPath(t, lilly, "/postfach")
	if txt := pageText(t, lilly); !strings.Contains(txt, "1 ungelesene Nachricht.") {
		t.Errorf("the mailbox does not say %q:\n%s", "1 ungelesene Nachricht.", abbrev(txt))
	}
	submit(t, lilly, "open the message",
		chromedp.Click(`//table//a[starts-with(normalize-space(), "Weitergabevertrag")]`))
	if p := eval[string](t, lilly, "location.pathname"); !strings.HasPrefix(p, "/postfach/") {
		t.Fatalf("the message link led to %s", p)
	}
	axeCheck(t, lilly, string(axeJS), "nachricht")
	screenshot(t, lilly, "3-nachricht")
	type link struct{ Text, Href string }
	links := eval[[]link](t, lilly, `[...document.querySelectorAll('main a[href*="/anhang/"]')].map(a => ({Text: a.innerText.trim(), Href: a.href}))`)
	if len(links) != 3 {
		t.Fatalf("the message has %d attachment links, want 3: %+v", len(links), links)
	}
	var contract link
	for _, l := range links {
		if strings.HasPrefix(l.Text, "weitergabevertrag-") && strings.HasSuffix(l.Text, ".pdf") {
			contract = l
		}
	}
	if contract.Href == "" {
		t.Fatalf("no attachment link weitergabevertrag-….pdf among %+v", links)
	}
	pdf := fetchBytes(t, lilly, contract.Href)
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("the contract link gives %d bytes that are no PDF: %q", len(pdf), abbrev(string(pdf[:min(len(pdf), 200)])))
	}
	if text, ok := pdfText(t, pdf); ok {
		for _, c := range codes {
			if !strings.Contains(text, c) {
				t.Errorf("the contract PDF does not contain voucher code %s:\n%s", c, abbrev(text))
			}
		}
		t.Logf("contract PDF %s: %d bytes, checked for the codes %s", contract.Text, len(pdf), strings.Join(codes, ", "))
	}

	// --- Karl of the provider checks a code. ------------------------------
	karl := newBrowser(t, ctx)
	login(t, karl, srv.url, providerEmail, providerName)
	clickNav(t, karl, "Gutschein prüfen")
	wantPath(t, karl, "/gutscheine")
	typed := strings.ReplaceAll(strings.ToLower(codes[0]), "-", " ")
	do(t, karl, "type the code in lower case with spaces", chromedp.SendKeys(chromedp.CSS("#f-code"), typed))
	clickButton(t, karl, "Prüfen")
	type card struct{ Code, Status string }
	got := eval[card](t, karl, `(() => {
		const h = document.getElementById('gutschein-titel'); if (!h) return {Code: '', Status: ''};
		const dt = [...h.closest('section').querySelectorAll('dt')].find(d => d.innerText.trim() === 'Status');
		return {Code: h.innerText.trim(), Status: dt ? dt.nextElementSibling.innerText.trim() : ''};
	})()`)
	if got.Code != codes[0] || got.Status != "Ausgegeben" {
		t.Errorf("the look-up of %q shows %+v, want code %s with status Ausgegeben\n%s", typed, got, codes[0], abbrev(pageText(t, karl)))
	}
	screenshot(t, karl, "4-gutschein")
}

// clickNav follows a link of the header navigation.
func clickNav(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	submit(t, ctx, "follow the navigation link "+label,
		chromedp.Click(`//nav[@aria-label="Hauptnavigation"]//a[normalize-space()="`+label+`"]`))
}

// clickButton clicks the button in main with the label and waits for the
// next page.
func clickButton(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	res := submit(t, ctx, "click "+label,
		chromedp.Click(`//main//button[normalize-space()="`+label+`"]`))
	if res.Status >= 400 {
		t.Fatalf("after %s: status %d\n%s", label, res.Status, abbrev(pageText(t, ctx)))
	}
}

// wantPath fails unless the browser shows the path.
func wantPath(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	if p := eval[string](t, ctx, "location.pathname"); p != want {
		t.Fatalf("the browser is on %s, want %s\n%s", p, want, abbrev(pageText(t, ctx)))
	}
}

// wantNotice reports an error unless the page shows the success notice.
func wantNotice(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	got := eval[string](t, ctx, `(document.querySelector('.kern-alert--success') || {innerText: ''}).innerText.trim()`)
	if !strings.Contains(got, want) {
		t.Errorf("success notice %q, want %q (address %s)", got, want, eval[string](t, ctx, "location.href"))
	}
}

func badgeText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `(document.querySelector('main .kern-badge') || {innerText: ''}).innerText.trim()`)
}

// tableColumn returns the texts of column col of the table with the caption.
func tableColumn(t *testing.T, ctx context.Context, caption string, col int) []string {
	t.Helper()
	var out []string
	for _, r := range tableRows(t, ctx, caption) {
		if len(r) > col {
			out = append(out, r[col])
		}
	}
	return out
}

// fetchBytes downloads the URL inside the page, with the browser's cookies.
func fetchBytes(t *testing.T, ctx context.Context, url string) []byte {
	t.Helper()
	b64 := eval[string](t, ctx, `fetch(`+jsString(url)+`, {credentials: 'same-origin'}).then(r => {
		if (!r.ok) throw new Error('status ' + r.status);
		return r.arrayBuffer();
	}).then(buf => {
		const u = new Uint8Array(buf); let s = '';
		for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
		return btoa(s);
	})`, chromedp.EvalAwaitPromise)
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("download %s: %v", url, err)
	}
	return b
}

// pdfText extracts the text of a PDF with pdftotext; ok is false, and the
// test logs why, when pdftotext is not installed.
func pdfText(t *testing.T, pdf []byte) (text string, ok bool) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext is not installed (Debian: poppler-utils); the codes in the PDF are not checked")
		return "", false
	}
	file := filepath.Join(t.TempDir(), "vertrag.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out), true
}

// axeCheck runs axe-core on the page in the browser and reports every
// violation of WCAG 2.1 A and AA as an error.
func axeCheck(t *testing.T, ctx context.Context, axeJS, name string) {
	t.Helper()
	path := eval[string](t, ctx, "location.pathname + location.search")
	res := runAxe(t, ctx, axeJS)
	for _, v := range res.Violations {
		for _, n := range v.Nodes {
			t.Errorf("%s (%s): axe %s: %s (%s): %s\n\t%s: %s\n\t%s\n\t%s",
				name, path, res.Version, v.ID, v.Impact, v.Help, string(n.Target), abbrev(n.HTML), n.Summary, v.HelpURL)
		}
	}
	if len(res.Incomplete) > 0 {
		t.Logf("%s (%s): axe could not decide, check by hand: %s", name, path, strings.Join(res.Incomplete, ", "))
	}
}
