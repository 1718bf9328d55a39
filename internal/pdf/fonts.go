package pdf

import (
	_ "embed"

	"codeberg.org/go-pdf/fpdf"
)

// The DejaVu Sans faces (version 2.37, see fonts/README.md and
// fonts/LICENSE). fpdf embeds only the glyphs a document uses.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// family is the name under which the faces are registered in a document.
const family = "DejaVu"

// AddFonts registers the embedded DejaVu Sans faces (styles "" and "B") in
// f, for documents laid out outside this package (the certificate in
// internal/credentials), and returns the family name to pass to SetFont.
func AddFonts(f *fpdf.Fpdf) string {
	f.AddUTF8FontFromBytes(family, "", fontRegular)
	f.AddUTF8FontFromBytes(family, "B", fontBold)
	return family
}
