package httpx

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Status maps an error code to the HTTP status.
func Status(code string) int {
	switch code {
	case domain.EInvalid:
		return http.StatusUnprocessableEntity
	case domain.EBadRequest:
		return http.StatusBadRequest
	case domain.EUnauthorized:
		return http.StatusUnauthorized
	case domain.EForbidden:
		return http.StatusForbidden
	case domain.ENotFound:
		return http.StatusNotFound
	case domain.EConflict:
		return http.StatusConflict
	case domain.ERateLimited:
		return http.StatusTooManyRequests
	case domain.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case domain.EUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// WriteJSON writes v as compact JSON with status st. (Indenting was a
// sixth of a member list's time at scale, issue 14; clients format it.)
func WriteJSON(w http.ResponseWriter, st int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(st)
	return json.NewEncoder(w).Encode(v)
}

// ReadJSON decodes the request body into v, refusing unknown fields and
// trailing data. Bad JSON is an EBadRequest error, a body over the limit an
// ETooLarge error.
func ReadJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return domain.Errorf(domain.ETooLarge, "Die Anfrage ist zu groß.")
		}
		return &domain.Error{Code: domain.EBadRequest, Message: "Der Inhalt der Anfrage ist kein gültiges JSON für diesen Aufruf.", Err: err}
	}
	if dec.More() {
		return domain.Errorf(domain.EBadRequest, "Nach dem JSON-Objekt folgen weitere Daten.")
	}
	return nil
}

// List is the envelope of every paged API list.
type List[T any] struct {
	Total int `json:"total"`
	Page  int `json:"page"`
	Items []T `json:"items"`
}

// NewList builds a List; nil items become an empty array in JSON.
func NewList[T any](items []T, total, page int) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Total: total, Page: page, Items: items}
}
