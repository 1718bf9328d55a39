package httpx

import (
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
)

// PathID reads a numeric path value; anything else is a 404.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.ErrNotFound
	}
	return id, nil
}

// PageParam reads the page number from "seite" (UI) or "page" (API).
func PageParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("seite")
	if v == "" {
		v = r.URL.Query().Get("page")
	}
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100000 {
		return 0, domain.Errorf(domain.EBadRequest, "Die Seitenzahl muss eine positive ganze Zahl sein.")
	}
	return n, nil
}
