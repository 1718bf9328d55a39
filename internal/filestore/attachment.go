package filestore

import (
	"bytes"
	"image"
	_ "image/jpeg" // DecodeConfig reads JPEG headers
	_ "image/png"  // and PNG headers
	"net/http"
)

// MsgNotAttachment is the message for a file that is neither PDF, PNG nor JPEG.
const MsgNotAttachment = "Die Datei ist weder ein PDF-Dokument noch ein Bild im Format PNG oder JPEG."

// CheckAttachment validates an attachment by content, never by file name:
// a PDF (as CheckPDF), or a PNG or JPEG image whose signature, detected
// type and header agree. It returns the media type to serve it with.
// Problems are *UploadError with a German message.
func CheckAttachment(content []byte, maxBytes int64) (string, error) {
	switch {
	case len(content) == 0:
		return "", &UploadError{Message: MsgEmpty}
	case maxBytes > 0 && int64(len(content)) > maxBytes:
		return "", &UploadError{Message: "Die Datei ist größer als " + formatMB(maxBytes) + " MB."}
	case bytes.HasPrefix(content, []byte(pdfMagic)):
		if err := CheckPDF(content, maxBytes); err != nil {
			return "", err
		}
		return "application/pdf", nil
	}
	var want, format string
	switch {
	case bytes.HasPrefix(content, []byte("\x89PNG\r\n\x1a\n")):
		want, format = "image/png", "png"
	case bytes.HasPrefix(content, []byte{0xff, 0xd8, 0xff}):
		want, format = "image/jpeg", "jpeg"
	default:
		return "", &UploadError{Message: MsgNotAttachment}
	}
	if http.DetectContentType(content) != want {
		return "", &UploadError{Message: MsgNotAttachment}
	}
	cfg, got, err := image.DecodeConfig(bytes.NewReader(content))
	if err != nil || got != format || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > 20000 || cfg.Height > 20000 {
		return "", &UploadError{Message: "Das Bild ist beschädigt oder zu groß."}
	}
	return want, nil
}
