package search

import (
	"strconv"
)

// Bucket is a fixed facet value with its German label.
type Bucket struct{ Key, Label string }

// DateBuckets are the values of the "date" facet. An offer counts in a
// bucket if one of its sessions starts within it, counted from Query.Now;
// "none" holds offers without an upcoming session. The first three nest.
var DateBuckets = []Bucket{
	{"30d", "in den nächsten 30 Tagen"},
	{"90d", "in den nächsten 3 Monaten"},
	{"365d", "in den nächsten 12 Monaten"},
	{"none", "ohne festen Termin"},
}

// PriceBuckets are the values of the "price" facet; they partition prices:
// free = 0, lt100 = 0.01 to 100 €, 100-300 = 100.01 to 300 €,
// 300-1000 = 300.01 to 1,000 €, gt1000 = over 1,000 €.
var PriceBuckets = []Bucket{
	{"free", "kostenlos"},
	{"lt100", "bis 100 €"},
	{"100-300", "100 bis 300 €"},
	{"300-1000", "300 bis 1.000 €"},
	{"gt1000", "über 1.000 €"},
}

// FacetNames are the facets of every Result, in display order.
var FacetNames = []string{"format", "level", "certificate", "language", "competence", "provider", "region", "funding", "date", "price"}

// Internal facet numbers. The single-valued facets come first, as they are
// stored side by side per document.
const (
	fcFormat = iota
	fcLevel
	fcCertificate
	fcLanguage
	fcProvider
	fcPrice
	numSingle    // single-valued facets above
	fcCompetence = iota - 1
	fcRegion
	fcFunding
	fcDate
	numFacets
)

const numMulti = fcFunding - fcCompetence + 1

var facetNum = map[string]int{
	"format": fcFormat, "level": fcLevel, "certificate": fcCertificate, "language": fcLanguage,
	"provider": fcProvider, "price": fcPrice, "competence": fcCompetence, "region": fcRegion,
	"funding": fcFunding, "date": fcDate,
}

var facetName = func() [numFacets]string {
	var a [numFacets]string
	for name, f := range facetNum {
		a[f] = name
	}
	return a
}()

// ValidFacet reports whether name is a facet of Query.Filters.
func ValidFacet(name string) bool {
	_, ok := facetNum[name]
	return ok
}

// ValidFacetValue reports whether value is well-formed for the facet, so
// that a handler can refuse a malformed filter with a clear 400 before
// searching. It checks the form, not existence: a well-formed value that
// no offer has (a provider without published offers) simply matches
// nothing.
func ValidFacetValue(name, value string) bool {
	switch name {
	case "format", "level", "certificate", "language", "competence":
		return isCode(value, false)
	case "funding":
		return isCode(value, true)
	case "provider":
		id, err := strconv.ParseInt(value, 10, 64)
		return err == nil && id > 0 && strconv.FormatInt(id, 10) == value
	case "region":
		if value == "online" {
			return true
		}
		if len(value) != 5 {
			return false
		}
		for i := 0; i < len(value); i++ {
			if value[i] < '0' || value[i] > '9' {
				return false
			}
		}
		return true
	case "date":
		return bucketIndex(DateBuckets, value) >= 0
	case "price":
		return bucketIndex(PriceBuckets, value) >= 0
	}
	return false
}

// isCode accepts 1 to 64 ASCII letters, digits, '_', '-' and '.', and with
// slash also '/' (funding tracks are "programme/track").
func isCode(s string, slash bool) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '-', c == '.':
		case c == '/' && slash:
		default:
			return false
		}
	}
	return true
}

func bucketIndex(bs []Bucket, key string) int {
	for i, b := range bs {
		if b.Key == key {
			return i
		}
	}
	return -1
}

// priceBucket returns the index in PriceBuckets of a price.
func priceBucket(cents int64) int {
	switch {
	case cents <= 0:
		return 0
	case cents <= 10000:
		return 1
	case cents <= 30000:
		return 2
	case cents <= 100000:
		return 3
	}
	return 4
}
