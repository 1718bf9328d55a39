package httpx

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
)

// WriteICS sends an iCalendar body as a download named name.
func WriteICS(w http.ResponseWriter, name, body string) error {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err := w.Write([]byte(body))
	return err
}

// SendDocument sends an opened document as a download.
func SendDocument(w http.ResponseWriter, d *domain.Document, rc io.ReadCloser) error {
	defer rc.Close()
	w.Header().Set("Content-Type", d.MediaType)
	w.Header().Set("Content-Length", strconv.FormatInt(d.Size, 10))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	_, err := io.Copy(w, rc)
	return err
}
