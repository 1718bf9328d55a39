// Package vg5000 turns the BKG VG5000 shapefiles (administrative
// boundaries of Germany at 1:5,000,000, Gauß-Krüger zone 3) into the
// simplified per-state derivative that package geo embeds. It reads the
// shapefile and dBASE formats itself, projects centroids to WGS84 and
// simplifies outlines with Douglas-Peucker. Only scripts/vg5000 and tests
// use it; the running server never does.
package vg5000

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strings"
)

// Point is a Gauß-Krüger position in metres: X east, Y north.
type Point struct{ X, Y float64 }

// Ring is a closed line; the last point repeats the first.
type Ring []Point

// Feature is one shapefile record with its attributes.
type Feature struct {
	Rings []Ring
	Attrs map[string]string
}

// ReadLayer reads base+".shp" and base+".dbf" (e.g. ".../VG5000_GEM") and
// pairs geometry and attributes by record order.
func ReadLayer(base string) ([]Feature, error) {
	shapes, err := readShp(base + ".shp")
	if err != nil {
		return nil, err
	}
	attrs, err := readDbf(base + ".dbf")
	if err != nil {
		return nil, err
	}
	if len(shapes) != len(attrs) {
		return nil, fmt.Errorf("%s: %d shapes but %d attribute records", base, len(shapes), len(attrs))
	}
	out := make([]Feature, len(shapes))
	for i := range shapes {
		out[i] = Feature{Rings: shapes[i], Attrs: attrs[i]}
	}
	return out, nil
}

// readShp reads polygon records (shape type 5; null shapes give no rings).
func readShp(path string) ([][]Ring, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 100 || binary.BigEndian.Uint32(b[0:4]) != 9994 {
		return nil, fmt.Errorf("%s: not a shapefile", path)
	}
	if t := binary.LittleEndian.Uint32(b[32:36]); t != 5 {
		return nil, fmt.Errorf("%s: shape type %d, want 5 (polygon)", path, t)
	}
	var out [][]Ring
	pos := 100
	for pos+8 <= len(b) {
		n := int(binary.BigEndian.Uint32(b[pos+4:pos+8])) * 2
		rec := b[pos+8:]
		if n > len(rec) {
			return nil, fmt.Errorf("%s: record at %d runs past the end", path, pos)
		}
		rec = rec[:n]
		pos += 8 + n
		rings, err := polygon(rec)
		if err != nil {
			return nil, fmt.Errorf("%s: record %d: %w", path, len(out)+1, err)
		}
		out = append(out, rings)
	}
	return out, nil
}

func polygon(rec []byte) ([]Ring, error) {
	if len(rec) < 4 {
		return nil, fmt.Errorf("short record")
	}
	switch t := binary.LittleEndian.Uint32(rec[0:4]); t {
	case 0:
		return nil, nil
	case 5:
	default:
		return nil, fmt.Errorf("shape type %d", t)
	}
	if len(rec) < 44 {
		return nil, fmt.Errorf("short polygon")
	}
	numParts := int(binary.LittleEndian.Uint32(rec[36:40]))
	numPoints := int(binary.LittleEndian.Uint32(rec[40:44]))
	if numParts < 0 || numPoints < 0 || 44+4*numParts+16*numPoints > len(rec) {
		return nil, fmt.Errorf("polygon sizes do not fit the record")
	}
	parts := make([]int, numParts+1)
	for i := range numParts {
		parts[i] = int(binary.LittleEndian.Uint32(rec[44+4*i:]))
	}
	parts[numParts] = numPoints
	pts := rec[44+4*numParts:]
	rings := make([]Ring, 0, numParts)
	for i := range numParts {
		if parts[i] < 0 || parts[i] > parts[i+1] {
			return nil, fmt.Errorf("part %d out of order", i)
		}
		r := make(Ring, 0, parts[i+1]-parts[i])
		for j := parts[i]; j < parts[i+1]; j++ {
			x := math.Float64frombits(binary.LittleEndian.Uint64(pts[16*j:]))
			y := math.Float64frombits(binary.LittleEndian.Uint64(pts[16*j+8:]))
			r = append(r, Point{x, y})
		}
		rings = append(rings, r)
	}
	return rings, nil
}

// readDbf reads the character and number fields of a dBASE III file as
// trimmed strings (the VG5000 files are UTF-8, says their .cpg).
func readDbf(path string) ([]map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 32 {
		return nil, fmt.Errorf("%s: not a dBASE file", path)
	}
	n := int(binary.LittleEndian.Uint32(b[4:8]))
	headLen := int(binary.LittleEndian.Uint16(b[8:10]))
	recLen := int(binary.LittleEndian.Uint16(b[10:12]))
	type field struct {
		name string
		len  int
	}
	var fields []field
	for i := 32; i+32 <= headLen && b[i] != 0x0d; i += 32 {
		name := strings.TrimRight(string(b[i:i+11]), "\x00")
		fields = append(fields, field{name, int(b[i+16])})
	}
	if headLen+n*recLen > len(b) {
		return nil, fmt.Errorf("%s: %d records do not fit the file", path, n)
	}
	out := make([]map[string]string, 0, n)
	for r := range n {
		rec := b[headLen+r*recLen : headLen+(r+1)*recLen]
		m := make(map[string]string, len(fields))
		p := 1 // deletion flag
		for _, f := range fields {
			if p+f.len > len(rec) {
				return nil, fmt.Errorf("%s: fields longer than the record", path)
			}
			m[f.name] = strings.TrimSpace(string(rec[p : p+f.len]))
			p += f.len
		}
		out = append(out, m)
	}
	return out, nil
}
