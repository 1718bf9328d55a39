package store

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
)

// catalogLabels is the change log's offer_id for "the catalog's facet
// labels changed" (a programme renamed, its tracks renamed): every
// instance reloads its labels when it applies that version, without
// rebuilding its index (offer_id 0 means rebuild; offers are positive).
const catalogLabels = -1

// CatalogLabelsChanged records, inside tx, that names the catalog shows as
// facet labels changed (a programme's or its tracks'): every instance
// reloads its labels as it catches up.
func (tx *Tx) CatalogLabelsChanged(ctx context.Context) error {
	return tx.CatalogChanged(ctx, catalogLabels)
}

// programmeLabelsChanged reports whether p, saved over old (nil: new),
// changes a name the catalog's funding facet shows: the programme's or a
// track's.
func programmeLabelsChanged(old, p *domain.Programme) bool {
	if old == nil || old.Name != p.Name || len(old.Tracks) != len(p.Tracks) {
		return true
	}
	for i := range p.Tracks {
		if old.Tracks[i].Key != p.Tracks[i].Key || old.Tracks[i].Name != p.Tracks[i].Name {
			return true
		}
	}
	return false
}
