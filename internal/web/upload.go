package web

import (
	"io"
	"net/http"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/filestore"
)

// readAll reads an uploaded file up to the upload limit.
func readAll(r io.Reader) ([]byte, bool, error) { return filestore.ReadLimited(r, maxUpload) }

// checkPDF returns the German reason a file is not an acceptable PDF, or "".
func checkPDF(content []byte) string {
	if err := filestore.CheckPDF(content, maxUpload); err != nil {
		if ue, ok := err.(*filestore.UploadError); ok {
			return ue.Message
		}
		return "Die Datei ist kein gültiges PDF-Dokument."
	}
	return ""
}

// maxUpload is the largest certificate PDF accepted; maxFormUpload the
// largest multipart request (the form may carry several certificates).
const (
	maxUpload     = 10 << 20
	maxFormUpload = 6 * maxUpload
)

// readUpload reads a PDF from a multipart form's "file" field and checks
// it by content.
func readUpload(r *http.Request) (name string, content []byte, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, domain.Errorf(domain.EBadRequest, "Bitte senden Sie die Datei als multipart/form-data im Feld „file“.")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return "", nil, &domain.Error{Code: domain.EInvalid, Message: "Bitte wählen Sie eine Datei aus.", Fields: map[string]string{"file": "Bitte wählen Sie eine Datei aus."}}
		}
		if err != nil {
			return "", nil, classify(&domain.Error{Code: domain.EBadRequest, Message: "Die Datei konnte nicht gelesen werden.", Err: err})
		}
		if part.FormName() != "file" {
			continue
		}
		content, over, err := readAll(part)
		if err != nil {
			return "", nil, classify(&domain.Error{Code: domain.EBadRequest, Message: "Die Datei konnte nicht gelesen werden.", Err: err})
		}
		if over {
			return "", nil, &domain.Error{Code: domain.ETooLarge, Message: "Die Datei ist größer als 10 MB.", Fields: map[string]string{"file": "Die Datei ist größer als 10 MB."}}
		}
		if msg := checkPDF(content); msg != "" {
			return "", nil, &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{"file": msg}}
		}
		name = cleanFileName(part.FileName())
		return name, content, nil
	}
}

// cleanFileName keeps a file name short and free of paths and control characters.
func cleanFileName(n string) string {
	if i := strings.LastIndexAny(n, `/\`); i >= 0 {
		n = n[i+1:]
	}
	n = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 || r == '"' {
			return -1
		}
		return r
	}, n)
	if n == "" {
		n = "dokument.pdf"
	}
	if len([]rune(n)) > 120 {
		n = string([]rune(n)[:120])
	}
	return n
}
