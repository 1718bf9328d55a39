package pdf

import _ "embed"

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
