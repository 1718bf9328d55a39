package web

import (
	"context"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// fundingLabel names a funding track "programme/track" for readers: the
// track's name in its programme and the programme's name, e.g.
// "Basisqualifizierung (Kommunale Digitallotsen)". Programmes are data, so
// the names come from the database.
func (s *Server) fundingLabel(ft string) string {
	prog, track, _ := strings.Cut(ft, "/")
	p, err := s.app.Funding.Programme(context.Background(), prog)
	if err != nil {
		return domain.TrackLabel(track)
	}
	if t, ok := p.Track(track); ok {
		return t.Name + " (" + p.Name + ")"
	}
	return domain.TrackLabel(track) + " (" + p.Name + ")"
}
