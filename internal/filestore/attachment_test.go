package filestore

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

func TestCheckAttachmentJudgesByContent(t *testing.T) {
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	cases := []struct {
		name    string
		content []byte
		want    string
	}{
		{"png", img.Bytes(), "image/png"},
		{"pdf", pdf, "application/pdf"},
		{"html pretending", []byte("<html><script>alert(1)</script></html>"), ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), ""},
		{"png signature, broken header", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 40)...), ""},
		{"jpeg signature only", []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0}, ""},
		{"empty", nil, ""},
	}
	for _, c := range cases {
		got, err := CheckAttachment(c.content, 1<<20)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("%s: CheckAttachment = %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	if _, err := CheckAttachment(img.Bytes(), 10); err == nil {
		t.Error("a file over the limit passed")
	}
}
