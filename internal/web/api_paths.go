package web

import (
	"net/http"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/matching"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// matching: paths. Learning paths in JSON: the list, one path, the
// actor's paths with progress, joining and leaving, editing for admins and
// associations, the members and their networking events, and the
// composite certificates.

// pathStepJSON is a step with the actor's state in it and, for a step in
// state next, the recommended offers.
type pathStepJSON struct {
	Number int `json:"number"`
	domain.PathStep
	State            string               `json:"state"`
	StateLabel       string               `json:"state_label"`
	Need             int                  `json:"need"`
	Done             int                  `json:"done"`
	Booked           int                  `json:"booked"`
	Bookings         []domain.PathBooking `json:"bookings"`
	EventConfirmedAt *time.Time           `json:"event_confirmed_at,omitempty"`
	Recommended      []matching.PathOffer `json:"recommended"`
}

type pathCertRef struct {
	ID            string `json:"id"`
	VerifyURL     string `json:"verify_url"`
	CredentialURL string `json:"credential_url"`
	PDFURL        string `json:"pdf_url"`
	Revoked       bool   `json:"revoked"`
}

type pathJSON struct {
	ID          int64          `json:"id"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	OwnerOrgID  int64          `json:"owner_org_id,omitempty"`
	OwnerName   string         `json:"owner_name,omitempty"`
	Status      string         `json:"status"`
	Joined      bool           `json:"joined"`
	JoinedAt    *time.Time     `json:"joined_at,omitempty"`
	CompletedAt *time.Time     `json:"completed_at,omitempty"`
	Percent     int            `json:"progress_percent"`
	Units       int            `json:"units"`
	DoneUnits   int            `json:"done_units"`
	Steps       []pathStepJSON `json:"steps"`
	Certificate *pathCertRef   `json:"certificate"`
	CanEdit     bool           `json:"can_edit"`
}

func (s *Server) pathJSON(v *matching.PathView) pathJSON {
	p := v.Path
	out := pathJSON{ID: p.ID, Title: p.Title, Description: p.Description, OwnerOrgID: p.OwnerOrgID, OwnerName: p.OwnerName, Status: p.Status,
		Joined: v.Joined, JoinedAt: v.JoinedAt, CompletedAt: v.CompletedAt, CanEdit: v.CanEdit, Steps: []pathStepJSON{}}
	if pp := v.Progress; pp != nil {
		out.Percent, out.Units, out.DoneUnits = pp.Percent, pp.Units, pp.DoneUnits
		for _, sp := range pp.Steps {
			rec := v.Recommended[sp.Number]
			if rec == nil {
				rec = []matching.PathOffer{}
			}
			out.Steps = append(out.Steps, pathStepJSON{Number: sp.Number, PathStep: sp.Step, State: sp.State, StateLabel: domain.StepStateLabel(sp.State),
				Need: sp.Need, Done: sp.Done, Booked: sp.Booked, Bookings: sp.Bookings, EventConfirmedAt: sp.EventConfirmedAt, Recommended: rec})
		}
	}
	if c := v.Certificate; c != nil {
		out.Certificate = s.pathCertRef(c)
	}
	return out
}

func (s *Server) pathCertRef(c *domain.PathCertificate) *pathCertRef {
	return &pathCertRef{ID: c.ID, VerifyURL: s.app.Certify.PathVerifyURL(c.ID), CredentialURL: s.app.Certify.PathCredentialURL(c.ID),
		PDFURL: s.cfg.BaseURL + "/lernpfade/zertifikate/" + c.ID + "/pdf", Revoked: c.RevokedAt != nil}
}

func (s *Server) pathList(w http.ResponseWriter, vs []matching.PathView) error {
	out := make([]pathJSON, 0, len(vs))
	for i := range vs {
		out = append(out, s.pathJSON(&vs[i]))
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(out, len(out), 1))
}

func (s *Server) apiPaths(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.app.Matching.Paths(r.Context())
	if err != nil {
		return err
	}
	return s.pathList(w, vs)
}

func (s *Server) apiMyPaths(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.app.Matching.MyPaths(r.Context())
	if err != nil {
		return err
	}
	return s.pathList(w, vs)
}

func (s *Server) apiPath(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Matching.Path(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, s.pathJSON(v))
}

// pathInput is the body of POST and PUT /api/v1/paths.
type pathInput struct {
	Title       string            `json:"title"`
	Description string            `json:"description"`
	OwnerOrgID  int64             `json:"owner_org_id"`
	Status      string            `json:"status"`
	Steps       []domain.PathStep `json:"steps"`
}

func (in pathInput) path() *domain.Path {
	return &domain.Path{Title: in.Title, Description: in.Description, OwnerOrgID: in.OwnerOrgID, Status: in.Status, Steps: in.Steps}
}

func (s *Server) apiPathCreate(w http.ResponseWriter, r *http.Request) error {
	var in pathInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	p, err := s.app.Matching.CreatePath(r.Context(), in.path())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, p)
}

func (s *Server) apiPathUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in pathInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	p := in.path()
	p.ID = id
	if p, err = s.app.Matching.UpdatePath(r.Context(), p); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, p)
}

func (s *Server) apiPathJoin(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Matching.JoinPath(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, s.pathJSON(v))
}

func (s *Server) apiPathLeave(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.Matching.LeavePath(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type pathMemberJSON struct {
	domain.PathMember
	Percent int                   `json:"progress_percent"`
	Steps   []domain.StepProgress `json:"steps"`
}

func (s *Server) apiPathMembers(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	_, ms, err := s.app.Matching.PathMembers(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]pathMemberJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, pathMemberJSON{PathMember: m.PathMember, Percent: m.Progress.Percent, Steps: m.Progress.Steps})
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(out, len(out), 1))
}

// apiPathEvent confirms a member's networking event: {"step": 3}.
func (s *Server) apiPathEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	person, err := httpx.PathID(r, "person")
	if err != nil {
		return err
	}
	var in struct {
		Step int `json:"step"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.Matching.ConfirmPathEvent(r.Context(), id, person, in.Step); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// pathCertificateView is what anyone may learn about a composite
// certificate by its ID (no e-mail address).
type pathCertificateView struct {
	ID            string                       `json:"id"`
	Participant   string                       `json:"participant"`
	Path          string                       `json:"path"`
	PathID        int64                        `json:"path_id"`
	Owner         string                       `json:"owner,omitempty"`
	Steps         []domain.PathCertificateStep `json:"steps"`
	Issued        time.Time                    `json:"issued"`
	Revoked       bool                         `json:"revoked"`
	RevokedAt     *time.Time                   `json:"revoked_at,omitempty"`
	RevokeReason  string                       `json:"revoke_reason,omitempty"`
	KeyID         string                       `json:"kid"`
	VerifyURL     string                       `json:"verify_url"`
	CredentialURL string                       `json:"credential_url"`
}

func (s *Server) pathCertificateView(c *domain.PathCertificate) pathCertificateView {
	return pathCertificateView{ID: c.ID, Participant: c.Participant, Path: c.Path, PathID: c.PathID, Owner: c.Owner, Steps: c.Steps,
		Issued: c.Issued, Revoked: c.RevokedAt != nil, RevokedAt: c.RevokedAt, RevokeReason: c.RevokeReason, KeyID: c.KeyID,
		VerifyURL: s.app.Certify.PathVerifyURL(c.ID), CredentialURL: s.app.Certify.PathCredentialURL(c.ID)}
}

func (s *Server) apiPathCertificate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.app.Matching.PathCertificate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, s.pathCertificateView(c))
}

// apiPathCredential serves the signed composite credential (VC-JWT).
func (s *Server) apiPathCredential(w http.ResponseWriter, r *http.Request) error {
	c, err := s.app.Matching.PathCertificate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if c.JWT == "" { // privacy: the holder deleted their account
		return errCredentialGone
	}
	w.Header().Set("Content-Type", "application/vc+jwt")
	_, err = w.Write([]byte(c.JWT))
	return err
}

func (s *Server) apiPathCertificateRevoke(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	c, err := s.app.Matching.RevokePathCertificate(r.Context(), r.PathValue("id"), in.Reason)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, s.pathCertificateView(c))
}
