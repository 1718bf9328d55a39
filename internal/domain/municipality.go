package domain

import "time"

// AreaKind is the level of a directory entry.
type AreaKind string

const (
	AreaState        AreaKind = "state"
	AreaDistrict     AreaKind = "district"
	AreaMunicipality AreaKind = "municipality"
)

// Label is the German name of the level.
func (k AreaKind) Label() string {
	switch k {
	case AreaState:
		return "Land"
	case AreaDistrict:
		return "Kreis"
	case AreaMunicipality:
		return "Gemeinde"
	}
	return string(k)
}

// Municipality is an entry of the official municipality directory: a state,
// a district or a municipality, identified by its AGS.
type Municipality struct {
	AGS          string    `json:"ags"`
	Name         string    `json:"name"`
	Kind         AreaKind  `json:"kind"`
	TypeCode     int       `json:"type_code"`
	Type         string    `json:"type"` // German type name, e.g. "Große Kreisstadt"
	DistrictAGS  string    `json:"district_ags,omitempty"`
	DistrictName string    `json:"district,omitempty"`
	StateAGS     string    `json:"state_ags"`
	StateName    string    `json:"state,omitempty"`
	Population   int       `json:"population"`
	AreaHa       int64     `json:"area_ha"`
	Postcode     string    `json:"postcode,omitempty"`
	RefDate      time.Time `json:"reference_date"`
}

// MunicipalityFilter selects directory entries.
type MunicipalityFilter struct {
	Query string // name prefix/substring or AGS prefix
	Kind  AreaKind
	State string // state AGS (2 digits)
	// After is where the page continues: Key is the AGS of the last entry
	// of the previous page.
	After  KeyCursor
	Limit  int
	Offset int // for the page numbers of older API clients
}

// ImportStats reports what an import changed.
type ImportStats struct {
	States, Districts, Municipalities int
	Inserted, Updated, Unchanged      int
}

// MunicipalityTypeName is the German name of a directory type code.
func MunicipalityTypeName(kind AreaKind, code int) string {
	switch kind {
	case AreaState:
		return "Land"
	case AreaDistrict:
		switch code {
		case 41:
			return "Kreisfreie Stadt"
		case 42:
			return "Stadtkreis"
		case 43:
			return "Kreis"
		case 44:
			return "Landkreis"
		case 45:
			return "Regionalverband"
		}
		return "Kreis"
	}
	switch code {
	case 60:
		return "Markt"
	case 61:
		return "Kreisfreie Stadt"
	case 62:
		return "Stadtkreis"
	case 63:
		return "Stadt"
	case 64:
		return "Gemeinde"
	case 65, 66:
		return "Gemeindefreies Gebiet"
	case 67:
		return "Große Kreisstadt"
	}
	return "Gemeinde"
}

// IsDistrictLevel reports whether the entry applies as a district in the
// funding programme: districts and cities that are their own district.
func (m Municipality) IsDistrictLevel() bool {
	return m.Kind == AreaDistrict
}

// ErrMunicipalityNotFound is the answer for an AGS the directory lacks.
var ErrMunicipalityNotFound = &Error{Code: ENotFound, Message: "Diese Kommune gibt es im Gemeindeverzeichnis nicht."}
