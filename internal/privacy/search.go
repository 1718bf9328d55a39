package privacy

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// SearchPersons finds people for an admin who downloads a person's data or
// deletes their account on request: by the exact address, or by the
// beginning of the name or surname, a page of at most
// domain.PersonSearchMax at a time. next is the cursor of the following
// page ("" when there is none). Deleted accounts are not found.
func (s *Service) SearchPersons(ctx context.Context, in domain.PersonSearch) (hits []domain.PersonHit, next string, err error) {
	defer domain.Wrap(&err, "privacy.SearchPersons")
	if err := authz.Check(domain.ActorFrom(ctx), authz.PersonSearch, authz.Resource{}); err != nil {
		return nil, "", err
	}
	if err := in.Validate(); err != nil {
		return nil, "", err
	}
	if in.ByEmail() {
		hits, err = s.db.PersonByEmailHit(ctx, in.Query)
		return hits, "", err
	}
	var after *store.NameCursor
	if in.Cursor != "" {
		if after, err = decodeCursor(in.Cursor); err != nil {
			return nil, "", err
		}
	}
	folded, err := s.db.FoldName(ctx, in.Query)
	if err != nil {
		return nil, "", err
	}
	hits, more, err := s.db.PersonsByName(ctx, folded, after, in.Limit)
	if err != nil {
		return nil, "", err
	}
	if more && len(hits) > 0 {
		last := hits[len(hits)-1]
		next = encodeCursor(store.NameCursor{Key: last.SortKey, ID: last.ID})
	}
	return hits, next, nil
}

// errCursor refuses a cursor that no answer gave.
var errCursor = domain.Errorf(domain.EBadRequest, "„cursor“ muss der Wert „next“ einer vorigen Antwort sein.")

// encodeCursor writes where a page ends as an opaque text: the key and ID
// of its last hit.
func encodeCursor(c store.NameCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.ID, 10) + ":" + c.Key))
}

func decodeCursor(s string) (*store.NameCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, errCursor
	}
	id, key, ok := strings.Cut(string(b), ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 {
		return nil, errCursor
	}
	return &store.NameCursor{Key: key, ID: n}, nil
}
