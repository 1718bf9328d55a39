package web

import (
	"strings"
	"testing"
)

func TestErrorSummaryFollowsTheFormsOrder(t *testing.T) {
	page := `<div class="error-summary"><ul class="kern-list">
    <li><a class="kern-link" href="#f-capacity">Plätze fehlen</a></li>
    <li><a class="kern-link" href="#f-gone">Weg</a></li>
    <li><a class="kern-link" href="#f-ags">Ort fehlt</a></li>
    <li><a class="kern-link" href="#f-starts_at">Beginn fehlt</a></li>
  </ul></div><form><input id="f-starts_at"><input id="f-capacity"><input id="f-ags"></form>`
	got := string(orderErrorSummary([]byte(page)))
	a, b, c, d := strings.Index(got, "#f-starts_at"), strings.Index(got, "#f-capacity"), strings.Index(got, "#f-ags"), strings.Index(got, "#f-gone")
	if a < 0 || !(a < b && b < c && c < d) {
		t.Fatalf("summary not in form order:\n%s", got)
	}
	if !strings.HasSuffix(got, `<input id="f-ags"></form>`) || strings.Count(got, "<li>") != 4 {
		t.Fatalf("the page changed beyond the summary:\n%s", got)
	}
	plain := "<p>Kein Fehler</p>"
	if string(orderErrorSummary([]byte(plain))) != plain {
		t.Fatal("a page without a summary changed")
	}
}
