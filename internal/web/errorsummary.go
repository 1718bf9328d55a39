package web

import (
	"bytes"
	"regexp"
	"sort"
)

var (
	summaryItemRE = regexp.MustCompile(`(?s)<li><a class="kern-link" href="#([^"]+)">.*?</li>`)
	summaryListOp = []byte(`<ul class="kern-list">`)
	summaryListCl = []byte(`</ul>`)
)

// orderErrorSummary puts the links of a page's error summary in the order
// their fields appear in the page, so that a reader meets the errors as
// they meet the form. Links to fields the page lacks keep their place at
// the end. A page without a summary is returned as it is.
func orderErrorSummary(page []byte) []byte {
	at := bytes.Index(page, []byte("error-summary"))
	if at < 0 {
		return page
	}
	open := bytes.Index(page[at:], summaryListOp)
	if open < 0 {
		return page
	}
	open += at + len(summaryListOp)
	end := bytes.Index(page[open:], summaryListCl)
	if end < 0 {
		return page
	}
	end += open
	list := page[open:end]
	items := summaryItemRE.FindAllSubmatchIndex(list, -1)
	if len(items) < 2 {
		return page
	}
	type item struct {
		html []byte
		pos  int
	}
	rest := page[end:]
	out := make([]item, len(items))
	for i, m := range items {
		pos := bytes.Index(rest, []byte(`id="`+string(list[m[2]:m[3]])+`"`))
		if pos < 0 {
			pos = len(rest) + i
		}
		out[i] = item{html: list[m[0]:m[1]], pos: pos}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	var b bytes.Buffer
	b.Grow(len(page))
	b.Write(page[:open])
	b.Write(list[:items[0][0]])
	for i, it := range out {
		if i > 0 {
			b.Write(list[items[i-1][1]:items[i][0]]) // the space between items
		}
		b.Write(it.html)
	}
	b.Write(list[items[len(items)-1][1]:])
	b.Write(page[end:])
	return b.Bytes()
}
