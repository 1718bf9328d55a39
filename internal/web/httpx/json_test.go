package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

func TestReadJSON(t *testing.T) {
	type in struct {
		Name string `json:"name"`
	}
	for _, tc := range []struct {
		name, body, code string
	}{
		{"valid", `{"name":"a"}`, ""},
		{"unknown field", `{"name":"a","extra":1}`, domain.EBadRequest},
		{"bad JSON", `{"name":`, domain.EBadRequest},
		{"trailing data", `{"name":"a"} {}`, domain.EBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
			var v in
			err := ReadJSON(r, &v)
			if tc.code == "" {
				if err != nil || v.Name != "a" {
					t.Fatalf("ReadJSON = %v, %+v", err, v)
				}
				return
			}
			if got := domain.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q, want %q (err %v)", got, tc.code, err)
			}
		})
	}
}

func TestReadJSONTooLarge(t *testing.T) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"name":"`+strings.Repeat("x", 100)+`"}`))
	r.Body = http.MaxBytesReader(w, r.Body, 10)
	var v struct {
		Name string `json:"name"`
	}
	if got := domain.ErrorCode(ReadJSON(r, &v)); got != domain.ETooLarge {
		t.Fatalf("code %q, want %q", got, domain.ETooLarge)
	}
}

func TestStatus(t *testing.T) {
	for code, want := range map[string]int{
		domain.EInvalid:      http.StatusUnprocessableEntity,
		domain.EBadRequest:   http.StatusBadRequest,
		domain.EUnauthorized: http.StatusUnauthorized,
		domain.EForbidden:    http.StatusForbidden,
		domain.ENotFound:     http.StatusNotFound,
		domain.EConflict:     http.StatusConflict,
		domain.ERateLimited:  http.StatusTooManyRequests,
		domain.ETooLarge:     http.StatusRequestEntityTooLarge,
		domain.EInternal:     http.StatusInternalServerError,
		"unknown":            http.StatusInternalServerError,
	} {
		if got := Status(code); got != want {
			t.Errorf("Status(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestNewListNeverNull(t *testing.T) {
	w := httptest.NewRecorder()
	if err := WriteJSON(w, http.StatusOK, NewList[int](nil, 0, 1)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.Body.String(), `"items":[]`) {
		t.Fatalf("body %s", w.Body)
	}
}
