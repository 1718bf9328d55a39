package catalog

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
)

// The search thesaurus: the shipped file (search.DefaultThesaurus) plus the
// entries administrators add in the UI or the API, kept in the database.
// Each instance holds the effective thesaurus in memory; it reloads the
// entries right after its own changes and in the search-terms job, which
// compares them every few seconds, so other instances follow quickly.

// thesaurusTerms is a searcher's thesaurus.
type thesaurusTerms struct {
	mu  sync.Mutex // one reload at a time, so that an older read never replaces a newer one
	cur atomic.Pointer[thesaurusState]
}

type thesaurusState struct {
	th *search.Thesaurus
	// sig is the entries it was built from, to skip rebuilding an
	// unchanged thesaurus.
	sig string
}

// thesaurus is the thesaurus searches use. Its entries are loaded on first
// use; if that fails, the shipped thesaurus serves until a reload succeeds
// (the search-terms job tries again), so that searches do not ask the
// database again and again while it is away.
func (s *Searcher) thesaurus(ctx context.Context) *search.Thesaurus {
	if st := s.terms.cur.Load(); st != nil {
		return st.th
	}
	if err := s.ReloadThesaurus(ctx); err != nil {
		if s.log != nil {
			s.log.ErrorContext(ctx, "loading the search terms failed", "err", err)
		}
		// sig matches no list of entries, so the next reload rebuilds.
		s.terms.cur.CompareAndSwap(nil, &thesaurusState{th: search.DefaultThesaurus(), sig: "\x00"})
	}
	return s.terms.cur.Load().th
}

// ReloadThesaurus reads the administrators' entries and rebuilds the
// thesaurus if they changed. The search-terms job calls it every few
// seconds: it is one small query when nothing changed.
func (s *Searcher) ReloadThesaurus(ctx context.Context) error {
	s.terms.mu.Lock()
	defer s.terms.mu.Unlock()
	terms, err := s.db.SearchTerms(ctx)
	if err != nil {
		return err
	}
	var sig strings.Builder
	for _, t := range terms {
		sig.WriteString(t.Line)
		sig.WriteByte('\n')
	}
	if st := s.terms.cur.Load(); st != nil && st.sig == sig.String() {
		return nil
	}
	entries := parseTerms(terms, func(t domain.SearchTerm, err error) {
		// An entry that was valid when it was added may be refused by a
		// newer parser (a word became a stopword): it is left out, not
		// the whole thesaurus.
		if s.log != nil {
			s.log.WarnContext(ctx, "search term left out", "id", t.ID, "line", t.Line, "err", err)
		}
	})
	th := search.DefaultThesaurus().With(entries)
	s.terms.cur.Store(&thesaurusState{th: th, sig: sig.String()})
	if s.log != nil {
		s.log.InfoContext(ctx, "search thesaurus loaded", "entries", len(entries), "version", th.Version)
	}
	return nil
}

func parseTerms(terms []domain.SearchTerm, bad func(domain.SearchTerm, error)) []search.Entry {
	var out []search.Entry
	for _, t := range terms {
		e, err := search.ParseEntry(t.Line)
		if err != nil {
			if bad != nil {
				bad(t, err)
			}
			continue
		}
		out = append(out, e)
	}
	return out
}

// ThesaurusView is the search thesaurus as the administration sees it.
type ThesaurusView struct {
	// Entries are those administrators added, oldest first.
	Entries []domain.SearchTerm
	// Shipped are the entries of the shipped file.
	Shipped []string
	// Version is the version of the thesaurus searches use: the shipped
	// file's, with the number of entries when some were added;
	// ShippedVersion is the shipped file's.
	Version, ShippedVersion string
}

// Thesaurus returns the added entries, the shipped ones and the version.
func (s *Service) Thesaurus(ctx context.Context) (v *ThesaurusView, err error) {
	defer domain.Wrap(&err, "catalog.Thesaurus")
	if err := authz.Check(domain.ActorFrom(ctx), authz.SearchTermsEdit, authz.Resource{}); err != nil {
		return nil, err
	}
	terms, err := s.db.SearchTerms(ctx)
	if err != nil {
		return nil, err
	}
	th := search.DefaultThesaurus().With(parseTerms(terms, nil))
	return &ThesaurusView{Entries: terms, Shipped: search.ShippedThesaurusLines(), Version: th.Version,
		ShippedVersion: search.DefaultThesaurus().Version}, nil
}

// ThesaurusProbe tells what the thesaurus searches use adds to a query
// text, for the administration page's probe.
func (s *Service) ThesaurusProbe(ctx context.Context, text string) ([]search.Expansion, error) {
	if err := authz.Check(domain.ActorFrom(ctx), authz.SearchTermsEdit, authz.Resource{}); err != nil {
		return nil, err
	}
	return s.thesaurus(ctx).Expansions(text), nil
}

// AddThesaurusEntry adds a line to the thesaurus: "A, B, C" (the terms
// mean the same) or "A, B => C, D" (a query for A or B also finds C and
// D). It is stored in canonical form; a line that says what an entry (or a
// shipped one) says already is refused. Searches on this instance use it at
// once, on others within seconds.
func (s *Service) AddThesaurusEntry(ctx context.Context, line string) (st *domain.SearchTerm, err error) {
	defer domain.Wrap(&err, "catalog.AddThesaurusEntry")
	if err := authz.Check(domain.ActorFrom(ctx), authz.SearchTermsEdit, authz.Resource{}); err != nil {
		return nil, err
	}
	e, perr := search.ParseEntry(line)
	if perr != nil {
		return nil, &domain.Error{Code: domain.EInvalid, Message: perr.Error(), Fields: map[string]string{"line": perr.Error()}}
	}
	key := entryKey(e)
	for _, l := range search.ShippedThesaurusLines() {
		if se, err := search.ParseEntry(l); err == nil && entryKey(se) == key {
			return nil, domain.ErrSearchTermShipped
		}
	}
	st = &domain.SearchTerm{Line: e.String()}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		have, err := tx.SearchTerms(ctx)
		if err != nil {
			return err
		}
		if len(have) >= domain.MaxSearchTerms {
			return domain.ErrSearchTermsFull
		}
		for _, h := range have {
			if he, err := search.ParseEntry(h.Line); err == nil && entryKey(he) == key {
				return domain.ErrSearchTermDuplicate
			}
		}
		if err := tx.InsertSearchTerm(ctx, st); err != nil {
			if domain.ErrorCode(err) == domain.EConflict {
				return domain.ErrSearchTermDuplicate
			}
			return err
		}
		return tx.Audit(ctx, 0, "search.term.add", "search_term", st.ID, map[string]string{"line": st.Line})
	})
	if err != nil {
		return nil, err
	}
	s.thesaurusChanged(ctx)
	return st, nil
}

// DeleteThesaurusEntry removes an added entry.
func (s *Service) DeleteThesaurusEntry(ctx context.Context, id int64) (err error) {
	defer domain.Wrap(&err, "catalog.DeleteThesaurusEntry(%d)", id)
	if err := authz.Check(domain.ActorFrom(ctx), authz.SearchTermsEdit, authz.Resource{}); err != nil {
		return err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		st, err := tx.DeleteSearchTerm(ctx, id)
		if domain.ErrorCode(err) == domain.ENotFound {
			return domain.ErrSearchTermNotFound
		}
		if err != nil {
			return err
		}
		return tx.Audit(ctx, 0, "search.term.delete", "search_term", st.ID, map[string]string{"line": st.Line})
	})
	if err != nil {
		return err
	}
	s.thesaurusChanged(ctx)
	return nil
}

// thesaurusChanged reloads the thesaurus after a committed change. A
// failure is logged, not returned: the change is committed, and the
// search-terms job loads it at its next run.
func (s *Service) thesaurusChanged(ctx context.Context) {
	if err := s.ReloadThesaurus(ctx); err != nil && s.log != nil {
		s.log.ErrorContext(ctx, "reloading the search terms failed", "err", err)
	}
}

// entryKey is what an entry says, independent of the spelling: the
// analysed forms of its terms, sorted, and the direction.
func entryKey(e search.Entry) string {
	side := func(terms []string) string {
		var keys []string
		for _, t := range terms {
			keys = append(keys, strings.Join(search.Analyze(t), " "))
		}
		slices.Sort(keys)
		return strings.Join(slices.Compact(keys), "|")
	}
	if slices.Equal(e.From, e.To) {
		return side(e.From)
	}
	return side(e.From) + "=>" + side(e.To)
}
