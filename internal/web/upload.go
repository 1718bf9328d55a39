package web

import (
	"io"

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
