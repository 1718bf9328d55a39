package pdf

import (
	"encoding/binary"
	"strings"
	"sync"
	"unicode"
)

// Text replaces what the embedded faces cannot draw, so that no text a
// person can enter makes a document fail: a character without a glyph in
// both DejaVu faces (an emoji, say) becomes "?", control characters other
// than line breaks are dropped (a tab becomes a space). German umlauts, ß,
// typographic quotes, € and the other European letters DejaVu covers stay.
func Text(s string) string {
	cov := coverage()
	clean := true
	for _, r := range s {
		if !cov.drawable(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prevMissing := false
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteByte(' ')
		case r == '\n':
			b.WriteRune(r)
		case unicode.IsControl(r), r == '\u200d', r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef:
			// Controls, the zero-width joiner and variation selectors
			// only modify a neighbour; they add nothing on their own.
			continue
		case !cov.drawable(r):
			// One "?" for a run of missing glyphs, so an emoji sequence
			// (👩‍💻) reads as one placeholder.
			if !prevMissing {
				b.WriteByte('?')
			}
			prevMissing = true
			continue
		default:
			b.WriteRune(r)
		}
		prevMissing = false
	}
	return b.String()
}

type glyphSet struct {
	bmp   [65536 / 64]uint64
	upper map[rune]bool
}

func (g *glyphSet) add(r rune) {
	if r < 65536 {
		g.bmp[r/64] |= 1 << (r % 64)
	} else {
		g.upper[r] = true
	}
}

func (g *glyphSet) has(r rune) bool {
	if r < 0 {
		return false
	}
	if r < 65536 {
		return g.bmp[r/64]&(1<<(r%64)) != 0
	}
	return g.upper[r]
}

// cover is the characters both faces can draw.
type cover struct{ regular, bold *glyphSet }

func (c cover) drawable(r rune) bool {
	if r == '\n' {
		return true
	}
	if unicode.IsControl(r) {
		return false
	}
	return c.regular.has(r) && c.bold.has(r)
}

var coverage = sync.OnceValue(func() cover {
	return cover{regular: glyphs(fontRegular), bold: glyphs(fontBold)}
})

// glyphs reads the characters a TrueType font maps to a glyph from its
// cmap table (format 4 for the Basic Multilingual Plane, format 12 beyond).
// A font it cannot read yields an empty set: every character then becomes
// "?", which the tests would show at once.
func glyphs(font []byte) *glyphSet {
	g := &glyphSet{upper: map[rune]bool{}}
	u16 := func(o int) int {
		if o < 0 || o+2 > len(font) {
			return 0
		}
		return int(binary.BigEndian.Uint16(font[o:]))
	}
	u32 := func(o int) int {
		if o < 0 || o+4 > len(font) {
			return 0
		}
		return int(binary.BigEndian.Uint32(font[o:]))
	}
	cmap := -1
	for i, n := 0, u16(4); i < n; i++ {
		rec := 12 + 16*i
		if rec+16 <= len(font) && string(font[rec:rec+4]) == "cmap" {
			cmap = u32(rec + 8)
		}
	}
	if cmap < 0 {
		return g
	}
	var fmt4, fmt12 int = -1, -1
	for i, n := 0, u16(cmap+2); i < n; i++ {
		rec := cmap + 4 + 8*i
		platform, encoding, sub := u16(rec), u16(rec+2), cmap+u32(rec+4)
		switch f := u16(sub); {
		case f == 12 && (platform == 3 && encoding == 10 || platform == 0):
			fmt12 = sub
		case f == 4 && (platform == 3 && encoding == 1 || platform == 0):
			fmt4 = sub
		}
	}
	if fmt4 >= 0 {
		segs := u16(fmt4+6) / 2
		ends, starts := fmt4+14, fmt4+16+2*segs
		deltas, ranges := starts+2*segs, starts+4*segs
		for i := 0; i < segs; i++ {
			end, start := u16(ends+2*i), u16(starts+2*i)
			delta, ro := u16(deltas+2*i), u16(ranges+2*i)
			for c := start; c <= end && c != 0xffff; c++ {
				gid := 0
				if ro == 0 {
					gid = (c + delta) & 0xffff
				} else if v := u16(ranges + 2*i + ro + 2*(c-start)); v != 0 {
					gid = (v + delta) & 0xffff
				}
				if gid != 0 {
					g.add(rune(c))
				}
			}
		}
	}
	if fmt12 >= 0 {
		for i, n := 0, u32(fmt12+12); i < n; i++ {
			grp := fmt12 + 16 + 12*i
			for c := u32(grp); c <= u32(grp+4) && c <= unicode.MaxRune; c++ {
				g.add(rune(c))
			}
		}
	}
	return g
}
