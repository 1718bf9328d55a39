package funding

import "context"

// OnCatalogLabels sets fn to run after a programme was created, cloned,
// imported or saved: its names are labels of the catalog's funding facet.
// The change log tells every instance (store.CatalogLabelsChanged); fn
// lets this one apply it at once (the app refreshes the catalog index).
func (s *Service) OnCatalogLabels(fn func(context.Context)) { s.labels = fn }

// catalogLabels runs the hook of OnCatalogLabels when the programme
// change succeeded.
func (s *Service) catalogLabels(ctx context.Context, err error) {
	if err == nil && s.labels != nil {
		s.labels(ctx)
	}
}
