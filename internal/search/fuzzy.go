package search

import (
	"cmp"
	"slices"
	"strings"
)

// Typo correction. The dictionary holds every folded surface word of the
// corpus and every stem that is not itself a word, sorted by first rune,
// then length. A query term is compared (Damerau-Levenshtein, optimal
// string alignment variant, on bytes) only with the keys that share its
// first rune and whose length is within the allowed distance: a few
// hundred comparisons with early exit even for a large vocabulary. Typos
// in the first letter are therefore not corrected.

type fuzzyKey struct {
	key  string
	term int32
	show string
}

func (ix *Index) buildFuzzy(keys []fuzzyKey) {
	slices.SortFunc(keys, func(a, b fuzzyKey) int {
		if c := cmp.Compare(firstRune(a.key), firstRune(b.key)); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.key), len(b.key)); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	ix.fuzzy = keys
	ix.fuzzyRange = map[rune][2]int32{}
	for i := 0; i < len(keys); {
		r := firstRune(keys[i].key)
		j := i
		for j < len(keys) && firstRune(keys[j].key) == r {
			j++
		}
		ix.fuzzyRange[r] = [2]int32{int32(i), int32(j)}
		i = j
	}
}

// maxCorrections is the number of dictionary terms a misspelt query term
// is replaced by.
const maxCorrections = 3

type correction struct {
	term int32
	dist int
	show string
}

// corrections returns up to maxCorrections terms within maxDist of the
// folded query word q, closest first, then most frequent.
func (ix *Index) corrections(q string, maxDist int) []correction {
	if q == "" || len(q) > maxTokenBytes {
		return nil
	}
	rg, ok := ix.fuzzyRange[firstRune(q)]
	if !ok {
		return nil
	}
	keys := ix.fuzzy[rg[0]:rg[1]]
	lo, _ := slices.BinarySearchFunc(keys, len(q)-maxDist, func(k fuzzyKey, l int) int { return cmp.Compare(len(k.key), l) })
	var found []correction
	for _, k := range keys[lo:] {
		if len(k.key) > len(q)+maxDist {
			break
		}
		d := osaDistance(q, k.key, maxDist)
		if d > maxDist {
			continue
		}
		if i := slices.IndexFunc(found, func(c correction) bool { return c.term == k.term }); i >= 0 {
			if d < found[i].dist {
				found[i].dist, found[i].show = d, k.show
			}
			continue
		}
		found = append(found, correction{k.term, d, k.show})
	}
	slices.SortFunc(found, func(a, b correction) int {
		if c := cmp.Compare(a.dist, b.dist); c != 0 {
			return c
		}
		if c := cmp.Compare(ix.df(b.term), ix.df(a.term)); c != 0 {
			return c
		}
		return cmp.Compare(a.term, b.term)
	})
	if len(found) > maxCorrections {
		found = found[:maxCorrections]
	}
	return found
}

// osaDistance returns the optimal string alignment distance of a and b
// (insertions, deletions, substitutions and transpositions of adjacent
// bytes), or max+1 as soon as it must exceed max. Both must be at most
// maxTokenBytes long.
func osaDistance(a, b string, max int) int {
	la, lb := len(a), len(b)
	if la-lb > max || lb-la > max {
		return max + 1
	}
	if la > maxTokenBytes || lb > maxTokenBytes {
		return max + 1
	}
	var rows [3][maxTokenBytes + 1]int32
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= lb; j++ {
		prev[j] = int32(j)
	}
	for i := 1; i <= la; i++ {
		cur[0] = int32(i)
		rowMin := cur[0]
		ai := a[i-1]
		for j := 1; j <= lb; j++ {
			cost := int32(1)
			if ai == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ai == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if int(rowMin) > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return int(prev[lb])
}
