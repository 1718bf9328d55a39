package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// The self-assessment in the API: the person's own ratings, goals and
// preferences, sharing them with an organisation, and the shared ones for
// the organisation's HR.

// assessmentInput is the body of PUT /api/v1/me/assessment.
type assessmentInput struct {
	Items       []domain.AssessmentItem `json:"items"`
	Goals       string                  `json:"goals"`
	Preferences domain.Preferences      `json:"preferences"`
}

func (s *Server) apiMyAssessment(w http.ResponseWriter, r *http.Request) error {
	a, err := s.app.Matching.MyAssessment(r.Context())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, a)
}

// apiStartingProfiles lists the role profiles a person can start their
// assessment from (their municipality's, or the shipped ones).
func (s *Server) apiStartingProfiles(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.app.Matching.StartingProfiles(r.Context())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": ps})
}

func (s *Server) apiAssessmentSave(w http.ResponseWriter, r *http.Request) error {
	var in assessmentInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	a, err := s.app.Matching.SaveAssessment(r.Context(), &domain.Assessment{Items: in.Items, Goals: in.Goals, Preferences: in.Preferences})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, a)
}

// shareOrg reads the organisation of a share request from the JSON body
// {"organisation": ID} or, for a DELETE without a body, ?organisation=ID.
func shareOrg(r *http.Request) (int64, error) {
	if q := strings.TrimSpace(r.URL.Query().Get("organisation")); q != "" && r.ContentLength <= 0 {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil || id <= 0 {
			return 0, &domain.Error{Code: domain.EInvalid, Message: "Bitte geben Sie die Organisation als Nummer an.",
				Fields: map[string]string{"organisation": "Bitte geben Sie die Organisation als Nummer an."}}
		}
		return id, nil
	}
	var in struct {
		Organisation int64 `json:"organisation"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return 0, err
	}
	if in.Organisation <= 0 {
		return 0, &domain.Error{Code: domain.EInvalid, Message: "Bitte geben Sie die Organisation an, mit der Sie teilen.",
			Fields: map[string]string{"organisation": "Bitte geben Sie die Organisation an."}}
	}
	return in.Organisation, nil
}

func (s *Server) apiAssessmentShare(w http.ResponseWriter, r *http.Request) error {
	org, err := shareOrg(r)
	if err != nil {
		return err
	}
	a, err := s.app.Matching.ShareAssessment(r.Context(), org)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, a)
}

func (s *Server) apiAssessmentUnshare(w http.ResponseWriter, r *http.Request) error {
	org, err := shareOrg(r)
	if err != nil {
		return err
	}
	a, err := s.app.Matching.WithdrawAssessmentShare(r.Context(), org)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, a)
}

func (s *Server) apiOrgAssessments(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	after, limit, err := apiKeyCursor(r, pageSize)
	if err != nil {
		return err
	}
	sp, err := s.app.Matching.SharedAssessmentsPage(r.Context(), id, after, limit)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, keyList(sp.List, sp.Total, 1, sp.Next))
}
