package programmes

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// DigitallotsePath is the shipped key of the programme's learning path.
const DigitallotsePath = "digitallotse"

// Digitallotse is the programme's learning path "Kommunale/r
// Digitallotse/in": the three-day Basisqualifizierung, then at least two
// Aufbauschulungen from different competence areas, then a networking
// event. The Städtetag owns it and may change it.
func Digitallotse(staedtetag int64) *domain.Path {
	return &domain.Path{
		Title: "Kommunale/r Digitallotse/in",
		Description: "Der Lernpfad des Förderprogramms: Nach der dreitägigen Basisqualifizierung vertiefen Sie Ihr Wissen in " +
			"mindestens zwei Aufbauschulungen aus verschiedenen Kompetenzbereichen und tauschen sich bei einem Vernetzungstreffen " +
			"mit anderen Digitallotsinnen und Digitallotsen aus. Wer alle Schritte abgeschlossen hat, erhält ein Gesamtzertifikat.",
		OwnerOrgID: staedtetag,
		Status:     domain.PathPublished,
		ShippedKey: DigitallotsePath,
		Steps: []domain.PathStep{
			{Title: "Basisqualifizierung (3 Tage)", Kind: domain.StepChoice, Track: Seed().Programme.ID + "/" + domain.TrackBasis, MinCount: 1},
			{Title: "Zwei Aufbauschulungen aus verschiedenen Kompetenzbereichen", Kind: domain.StepChoice,
				Track: Seed().Programme.ID + "/" + domain.TrackAdvanced, MinCount: 2, DistinctAreas: true, Requires: []int{1}},
			{Title: "Vernetzungstreffen", Kind: domain.StepEvent, Requires: []int{2}},
		},
	}
}

// installPaths creates the programme's learning path where it is missing;
// once installed it is its owner's to change.
func installPaths(ctx context.Context, db *store.DB, ids map[string]int64) error {
	if _, err := db.PathByShippedKey(ctx, DigitallotsePath); domain.ErrorCode(err) != domain.ENotFound {
		return err
	}
	p := Digitallotse(ids[Staedtetag])
	if err := p.Validate(); err != nil {
		return err
	}
	return db.CreatePath(ctx, p)
}
