package filestore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func newLocal(t *testing.T) (*Local, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	l, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l, dir
}

func readAll(t *testing.T, l *Local, key string) ([]byte, int64) {
	t.Helper()
	rc, n, err := l.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%s): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b, n
}

// listFiles returns all regular files below dir, relative and slash-separated.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestNewLocalCreatesDir(t *testing.T) {
	_, dir := newLocal(t)
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		t.Fatalf("store dir not created: %v", err)
	}
	if _, err := NewLocal(""); err == nil {
		t.Error("NewLocal(\"\") succeeded")
	}
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	l, dir := newLocal(t)
	content := []byte("Antrag auf Förderung\n")

	key, err := l.Put(ctx, content)
	if err != nil {
		t.Fatal(err)
	}
	if key != SHA256Hex(content) || !ValidKey(key) {
		t.Fatalf("key = %q, want %q", key, SHA256Hex(content))
	}
	want := key[:2] + "/" + key[2:4] + "/" + key
	if files := listFiles(t, dir); len(files) != 1 || files[0] != want {
		t.Fatalf("files = %v, want [%s]", files, want)
	}

	got, n := readAll(t, l, key)
	if !bytes.Equal(got, content) || n != int64(len(content)) {
		t.Fatalf("Get = %q (%d), want %q (%d)", got, n, content, len(content))
	}

	if err := l.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Get(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	if err := l.Delete(ctx, key); err != nil {
		t.Fatalf("second Delete: %v", err)
	}
}

func TestEmptyContent(t *testing.T) {
	ctx := context.Background()
	l, _ := newLocal(t)
	key, err := l.Put(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, n := readAll(t, l, key); len(got) != 0 || n != 0 {
		t.Fatalf("Get = %q, %d", got, n)
	}
}

func TestPutIdempotent(t *testing.T) {
	ctx := context.Background()
	l, dir := newLocal(t)
	content := []byte("gleicher Inhalt")
	k1, err := l.Put(ctx, content)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := l.Put(ctx, content)
	if err != nil {
		t.Fatal(err)
	}
	if k1 != k2 {
		t.Fatalf("keys differ: %s %s", k1, k2)
	}
	if files := listFiles(t, dir); len(files) != 1 {
		t.Fatalf("files = %v, want one", files)
	}
	k3, err := l.Put(ctx, []byte("anderer Inhalt"))
	if err != nil {
		t.Fatal(err)
	}
	if k3 == k1 {
		t.Fatal("different content, same key")
	}
	if files := listFiles(t, dir); len(files) != 2 {
		t.Fatalf("files = %v, want two", files)
	}
}

func TestConcurrentPutSameContent(t *testing.T) {
	ctx := context.Background()
	l, dir := newLocal(t)
	content := bytes.Repeat([]byte("Bescheid 0123456789\n"), 50_000) // ~1 MB
	want := SHA256Hex(content)

	var wg sync.WaitGroup
	errs := make([]error, 20)
	keys := make([]string, 20)
	for i := range 20 {
		wg.Go(func() { keys[i], errs[i] = l.Put(ctx, content) })
	}
	wg.Wait()
	for i := range 20 {
		if errs[i] != nil || keys[i] != want {
			t.Fatalf("Put #%d = %q, %v", i, keys[i], errs[i])
		}
	}
	if files := listFiles(t, dir); len(files) != 1 {
		t.Fatalf("files = %v, want exactly one (no temp files left)", files)
	}
	got, _ := readAll(t, l, want)
	if SHA256Hex(got) != want {
		t.Fatal("stored blob is not intact")
	}
}

func TestGetUnknown(t *testing.T) {
	l, _ := newLocal(t)
	_, _, err := l.Get(context.Background(), SHA256Hex([]byte("nie gespeichert")))
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if errors.Is(err, ErrInvalidKey) {
		t.Fatalf("well-formed key reported invalid: %v", err)
	}
}

func TestMalformedKeys(t *testing.T) {
	ctx := context.Background()
	base := t.TempDir()
	dir := filepath.Join(base, "store")
	l, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	// A file outside the store that a traversal could reach.
	secret := filepath.Join(base, "secret")
	if err := os.WriteFile(secret, []byte("geheim"), 0o600); err != nil {
		t.Fatal(err)
	}
	valid := SHA256Hex([]byte("x"))
	keys := []string{
		"../secret",
		"../../etc/passwd",
		"/etc/passwd",
		strings.ToUpper(valid),
		valid[:63],
		valid + "0",
		"",
		valid[:62] + "/.",
		"ab/cd/../../../secret" + strings.Repeat("0", 43),
		valid[:63] + "g",
	}
	for _, key := range keys {
		rc, _, err := l.Get(ctx, key)
		if err == nil {
			rc.Close()
			t.Errorf("Get(%q) succeeded", key)
			continue
		}
		if !errors.Is(err, ErrInvalidKey) || !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q): err = %v, want ErrInvalidKey and ErrNotFound", key, err)
		}
		if err := l.Delete(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Delete(%q): err = %v, want ErrInvalidKey", key, err)
		}
	}
	if b, err := os.ReadFile(secret); err != nil || string(b) != "geheim" {
		t.Fatalf("file outside the store touched: %q, %v", b, err)
	}
	if files := listFiles(t, dir); len(files) != 0 {
		t.Fatalf("store not empty: %v", files)
	}
}

// A symbolic link planted inside the store must not lead outside it.
func TestSymlinkEscape(t *testing.T) {
	ctx := context.Background()
	base := t.TempDir()
	dir := filepath.Join(base, "store")
	l, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	secret := filepath.Join(base, "secret")
	if err := os.WriteFile(secret, []byte("geheim"), 0o600); err != nil {
		t.Fatal(err)
	}
	key := SHA256Hex([]byte("geheim"))
	fan := filepath.Join(dir, key[:2], key[2:4])
	if err := os.MkdirAll(fan, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(fan, key)); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	if rc, _, err := l.Get(ctx, key); err == nil {
		rc.Close()
		t.Fatal("Get followed a symlink out of the store")
	}
	if err := l.Delete(ctx, key); err != nil {
		t.Logf("Delete: %v", err)
	}
	if b, err := os.ReadFile(secret); err != nil || string(b) != "geheim" {
		t.Fatalf("file outside the store touched: %q, %v", b, err)
	}
}

func TestCanceledContext(t *testing.T) {
	l, dir := newLocal(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Put(ctx, []byte("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Put: %v", err)
	}
	if _, _, err := l.Get(ctx, SHA256Hex([]byte("x"))); !errors.Is(err, context.Canceled) {
		t.Errorf("Get: %v", err)
	}
	if err := l.Delete(ctx, SHA256Hex([]byte("x"))); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete: %v", err)
	}
	if files := listFiles(t, dir); len(files) != 0 {
		t.Fatalf("store not empty: %v", files)
	}
}

func TestSHA256Hex(t *testing.T) {
	// SHA-256 of the empty string.
	const want = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if got := SHA256Hex(nil); got != want {
		t.Fatalf("SHA256Hex(nil) = %s", got)
	}
}

func TestReadLimited(t *testing.T) {
	tests := []struct {
		in       string
		max      int64
		wantLen  int
		wantOver bool
	}{
		{"", 10, 0, false},
		{"0123456789", 10, 10, false},
		{"0123456789A", 10, 11, true},
		{strings.Repeat("x", 1000), 10, 11, true},
		{"abc", 0, 1, true},
		{"abc", -5, 1, true},
	}
	for _, tt := range tests {
		got, over, err := ReadLimited(strings.NewReader(tt.in), tt.max)
		if err != nil || len(got) != tt.wantLen || over != tt.wantOver {
			t.Errorf("ReadLimited(%d bytes, %d) = %d bytes, %v, %v; want %d, %v",
				len(tt.in), tt.max, len(got), over, err, tt.wantLen, tt.wantOver)
		}
	}
	boom := errors.New("boom")
	if _, _, err := ReadLimited(io.MultiReader(strings.NewReader("ab"), errReader{boom}), 10); !errors.Is(err, boom) {
		t.Errorf("read error not passed on: %v", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// minimalPDF builds a tiny but valid one-page PDF saying "Hello", with a
// correct cross-reference table.
func minimalPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	stream := "BT /F1 24 Tf 72 720 Td (Hello) Tj ET\n"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestMinimalPDFReadable(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	path := filepath.Join(t.TempDir(), "hello.pdf")
	if err := os.WriteFile(path, minimalPDF(), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, path, "-")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("pdftotext complained: %s", stderr.String())
	}
	if !strings.Contains(stdout.String(), "Hello") {
		t.Errorf("pdftotext output = %q, want Hello", stdout.String())
	}
}

const tenMiB = 10 << 20

func TestCheckPDF(t *testing.T) {
	pdf := minimalPDF()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0dIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82")
	html := []byte("<!DOCTYPE html>\n<html><body>%PDF-1.4 ist keine PDF-Datei %%EOF</body></html>\n")
	oversized := append(append([]byte{}, pdf...), bytes.Repeat([]byte("\n"), tenMiB)...)
	oversized = append(oversized, "%%EOF\n"...)
	tooLarge := "Die Datei ist größer als 10 MB."

	tests := []struct {
		name    string
		content []byte
		max     int64
		want    string // "" = accepted
	}{
		{"minimal PDF", pdf, tenMiB, ""},
		{"PDF exactly at the limit", pdf, int64(len(pdf)), ""},
		{"PDF with long tail after EOF", append(append([]byte{}, pdf...), bytes.Repeat([]byte(" "), 1000)...), tenMiB, ""},
		{"HTML named .pdf", html, tenMiB, MsgNotPDF},
		{"PNG", png, tenMiB, MsgNotPDF},
		{"plain text", []byte("Hallo Welt"), tenMiB, MsgNotPDF},
		{"PDF magic not at offset 0", append([]byte("junk"), pdf...), tenMiB, MsgNotPDF},
		{"BOM before PDF magic", append([]byte("\xef\xbb\xbf"), pdf...), tenMiB, MsgNotPDF},
		{"empty", nil, tenMiB, MsgEmpty},
		{"empty slice", []byte{}, tenMiB, MsgEmpty},
		{"oversized", oversized, tenMiB, tooLarge},
		{"one byte over", pdf, int64(len(pdf)) - 1, "Die Datei ist größer als 0,01 MB."},
		{"truncated", pdf[:len(pdf)/2], tenMiB, MsgTruncated},
		{"EOF too far from end", append(append([]byte{}, pdf...), bytes.Repeat([]byte(" "), 1030)...), tenMiB, MsgTruncated},
		{"magic only", []byte("%PDF-"), tenMiB, MsgTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPDF(tt.content, tt.max)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckPDF = %v, want nil", err)
				}
				return
			}
			var ue *UploadError
			if !errors.As(err, &ue) {
				t.Fatalf("CheckPDF = %v (%T), want *UploadError", err, err)
			}
			if ue.Message != tt.want || err.Error() != tt.want {
				t.Fatalf("message = %q, want %q", ue.Message, tt.want)
			}
		})
	}
}

func TestCheckPDFLimitWording(t *testing.T) {
	tests := []struct {
		max  int64
		want string
	}{
		{10 << 20, "10"},
		{1 << 20, "1"},
		{5<<20 + 1<<19, "5,5"},
		{25 << 20, "25"},
		{100, "0,01"},
	}
	big := append(minimalPDF(), bytes.Repeat([]byte(" "), 30<<20)...)
	for _, tt := range tests {
		err := CheckPDF(big, tt.max)
		want := "Die Datei ist größer als " + tt.want + " MB."
		if err == nil || err.Error() != want {
			t.Errorf("CheckPDF(max %d) = %v, want %q", tt.max, err, want)
		}
	}
}

func TestReadLimitedThenCheckPDF(t *testing.T) {
	pdf := minimalPDF()
	big := append(append([]byte{}, pdf...), bytes.Repeat([]byte(" "), 100)...)
	data, over, err := ReadLimited(bytes.NewReader(big), int64(len(pdf)))
	if err != nil || !over {
		t.Fatalf("over = %v, err = %v", over, err)
	}
	var ue *UploadError
	if err := CheckPDF(data, int64(len(pdf))); !errors.As(err, &ue) || !strings.Contains(ue.Message, "größer") {
		t.Fatalf("CheckPDF on over-limit read = %v", err)
	}
}

func FuzzCheckPDF(f *testing.F) {
	pdf := minimalPDF()
	f.Add(pdf, int64(tenMiB))
	f.Add(pdf[:len(pdf)/2], int64(tenMiB))
	f.Add([]byte("%PDF-"), int64(tenMiB))
	f.Add([]byte("%PDF-%%EOF"), int64(0))
	f.Add([]byte("<html>%PDF-</html>"), int64(tenMiB))
	f.Add([]byte{}, int64(-1))
	f.Add(pdf, int64(1))
	f.Fuzz(func(t *testing.T, content []byte, max int64) {
		err := CheckPDF(content, max)
		if err == nil {
			if !bytes.HasPrefix(content, []byte("%PDF-")) {
				t.Fatalf("accepted content without PDF magic: %q", content)
			}
			if max > 0 && int64(len(content)) > max {
				t.Fatalf("accepted %d bytes over limit %d", len(content), max)
			}
			return
		}
		var ue *UploadError
		if !errors.As(err, &ue) || ue.Message == "" {
			t.Fatalf("error %v (%T) is not an *UploadError with a message", err, err)
		}
	})
}
