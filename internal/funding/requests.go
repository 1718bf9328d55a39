package funding

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// FundingRequestInput is a member's request for funding as the form or the
// API gives it.
type FundingRequestInput struct {
	// OrgID is the municipality asked; 0 means the person's first one.
	OrgID int64
	// Programme may be ""; Track is a track's key, or "programme/track".
	Programme string
	Track     string
	OfferID   int64 // the wished offer, 0 for none
	Reason    string
}

// RequestFunding sends the municipality's HR and signatories a member's
// request for funding: a track, optionally a wished offer, and a reason.
// They are told by mail.
func (s *Service) RequestFunding(ctx context.Context, in FundingRequestInput) (r *domain.FundingRequest, err error) {
	defer domain.Wrap(&err, "funding.RequestFunding")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	if in.OrgID == 0 {
		for _, m := range a.Memberships {
			if m.OrgKind == domain.OrgMunicipality {
				in.OrgID = m.OrgID
				break
			}
		}
	}
	v := domain.Validation{}
	org, err := s.db.Organisation(ctx, in.OrgID)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && org.Kind != domain.OrgMunicipality) {
		v.Add("organisation", "Bitte wählen Sie die Kommune, bei der Sie beschäftigt sind.")
	} else if err != nil {
		return nil, err
	} else if !authz.Allowed(a, authz.FundingRequestCreate, authz.Resource{OrgID: org.ID}) {
		return nil, domain.Errorf(domain.EForbidden, "Eine Förderung können nur Beschäftigte der Kommune bei ihr anfragen.")
	}
	r = &domain.FundingRequest{OrgID: in.OrgID, PersonID: a.PersonID(), OfferID: in.OfferID, Reason: strings.TrimSpace(in.Reason)}
	ags := ""
	if org != nil {
		ags = org.AGS
	}
	track, err := s.resolveTrack(ctx, in.Programme, in.Track, ags)
	if err != nil {
		v.Add("track", domain.ErrorMessage(err))
	} else {
		r.ProgrammeID, r.Track = track.programme, track.Key
	}
	if in.OfferID != 0 {
		o, err := s.db.Offer(ctx, in.OfferID)
		switch {
		case domain.ErrorCode(err) == domain.ENotFound || (err == nil && o.Status != domain.OfferPublished):
			v.Add("offer_id", "Dieses Angebot gibt es nicht im Katalog.")
		case err != nil:
			return nil, err
		case track.Key != "" && !slices.Contains(o.FundingTracks, track.programme+"/"+track.Key):
			v.Add("offer_id", "Dieses Angebot wird in der gewählten Qualifizierung nicht gefördert.")
		default:
			r.OfferTitle = o.Title
		}
	}
	if r.Reason == "" {
		v.Add("reason", "Bitte begründen Sie kurz, wofür Sie die Förderung brauchen.")
	} else if len([]rune(r.Reason)) > 2000 {
		v.Add("reason", "Bitte kürzen Sie die Begründung auf 2000 Zeichen.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		open, err := tx.HasOpenFundingRequest(ctx, r.OrgID, r.PersonID, r.ProgrammeID, r.Track)
		if err != nil {
			return err
		}
		if open {
			return domain.ErrFundingRequestOpen(track.Name)
		}
		if err := tx.CreateFundingRequest(ctx, r); err != nil {
			return err
		}
		data := map[string]any{"Person": a.Person.Name, "Org": org.Name, "Track": track.Name, "Offer": r.OfferTitle}
		return s.notifyMembers(ctx, tx, org.ID, []domain.Role{domain.RoleHR, domain.RoleSignatory}, "funding-request-new", data)
	})
	if err != nil {
		return nil, err
	}
	return s.db.FundingRequest(ctx, r.ID)
}

type resolvedTrack struct {
	domain.Track
	programme string
}

// resolveTrack finds a track by key ("basis") or "programme/key", in the
// named programme or else the first one that has it, the programmes of the
// applicant's state (ags) first.
func (s *Service) resolveTrack(ctx context.Context, programme, key, ags string) (resolvedTrack, error) {
	key = strings.TrimSpace(key)
	if p, k, ok := strings.Cut(key, "/"); ok {
		programme, key = p, k
	}
	bad := domain.Errorf(domain.EInvalid, "Bitte wählen Sie eine Qualifizierung des Förderprogramms.")
	if key == "" {
		return resolvedTrack{}, bad
	}
	ps, err := s.db.Programmes(ctx)
	if err != nil {
		return resolvedTrack{}, err
	}
	if len(ags) >= 2 {
		slices.SortStableFunc(ps, func(a, b domain.Programme) int {
			return cmp.Compare(boolRank(a.State != ags[:2]), boolRank(b.State != ags[:2]))
		})
	}
	for _, p := range ps {
		if programme != "" && p.ID != programme {
			continue
		}
		if t, ok := p.Track(key); ok {
			return resolvedTrack{Track: t, programme: p.ID}, nil
		}
	}
	return resolvedTrack{}, bad
}

// FundingRequests lists the actor's own requests and those of the
// municipalities they answer for (authz's scope), newest first; status ""
// lists all.
func (s *Service) FundingRequests(ctx context.Context, status domain.FundingRequestStatus) (rs []domain.FundingRequest, err error) {
	defer domain.Wrap(&err, "funding.FundingRequests")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	f := authz.FundingRequestScope(a)
	f.Status = status
	return s.db.FundingRequests(ctx, f)
}

// FundingAnswer is how HR or a signatory answers a request: with a voucher
// (its code), by starting an application, or with a reason to decline.
type FundingAnswer struct {
	Voucher     string
	Application bool
	Decline     bool
	Reason      string
}

// AnswerFundingRequest answers an open request. Accepting with a voucher
// hands a free voucher of the request's track to the requester in the same
// step; accepting by application marks the request accepted (the caller
// leads to a new application with the track chosen); declining needs a
// reason. The requester is told by mail.
func (s *Service) AnswerFundingRequest(ctx context.Context, id int64, ans FundingAnswer) (r *domain.FundingRequest, err error) {
	defer domain.Wrap(&err, "funding.AnswerFundingRequest(%d)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	ans.Reason, ans.Voucher = strings.TrimSpace(ans.Reason), strings.TrimSpace(ans.Voucher)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		r, err = tx.LockFundingRequest(ctx, id)
		if err != nil {
			return err
		}
		if !authz.Allowed(a, authz.FundingRequestDecide, authz.Resource{OrgID: r.OrgID}) {
			if r.PersonID == a.PersonID() || authz.Allowed(a, authz.OrgView, authz.Resource{OrgID: r.OrgID}) {
				return domain.Errorf(domain.EForbidden, "Förderanfragen beantworten nur die Personalabteilung und die Zeichnungsberechtigten der Kommune.")
			}
			return domain.ErrFundingRequestNotFound
		}
		if r.Status != domain.RequestOpen {
			return domain.ErrFundingRequestDecided
		}
		code, err := ans.validate()
		if err != nil {
			return err
		}
		switch {
		case ans.Decline:
			r.Status, r.Answer = domain.RequestDeclined, ans.Reason
		case code != "":
			v, err := tx.LockVoucher(ctx, code)
			if domain.ErrorCode(err) == domain.ENotFound {
				return voucherField("Diesen Gutscheincode gibt es nicht.")
			} else if err != nil {
				return err
			}
			switch {
			case v.OrgID != r.OrgID:
				return voucherField("Dieser Gutschein gehört einer anderen Kommune.")
			case v.ProgrammeID != r.ProgrammeID || v.Track != r.Track:
				return voucherField("Dieser Gutschein gilt für eine andere Qualifizierung als die angefragte.")
			case v.HolderEmail != "":
				return voucherField("Dieser Gutschein ist bereits einer Person zugeteilt.")
			}
			if _, err := s.hand(ctx, tx, code, v, domain.HandingInput{Email: r.PersonEmail, Reason: fmt.Sprintf("Förderanfrage Nr. %d", r.ID)}, false); err != nil {
				return err
			}
			r.Status, r.VoucherCode = domain.RequestVoucher, string(code)
		default:
			r.Status = domain.RequestApplication
		}
		if err := tx.DecideFundingRequest(ctx, r); err != nil {
			if domain.ErrorCode(err) == domain.EConflict {
				return domain.ErrFundingRequestDecided
			}
			return err
		}
		track := r.Track
		if p, err := tx.VoucherProgramme(ctx, r.ProgrammeID); err == nil {
			if t, ok := p.Track(r.Track); ok {
				track = t.Name
			}
		}
		tmpl := "funding-request-accepted"
		if r.Status == domain.RequestDeclined {
			tmpl = "funding-request-declined"
		}
		return s.notify.Enqueue(ctx, tx, r.PersonEmail, tmpl, map[string]any{"Org": r.OrgName, "Track": track,
			"Voucher": r.Status == domain.RequestVoucher, "Date": formatDate(r.CreatedAt)})
	})
	if err != nil {
		return nil, err
	}
	return s.db.FundingRequest(ctx, id)
}

func voucherField(msg string) error {
	return &domain.Error{Code: domain.EConflict, Message: msg, Fields: map[string]string{"voucher": msg}}
}

// validate checks an answer (after the policy was asked) and returns the
// voucher code it hands, if any.
func (ans FundingAnswer) validate() (voucher.Code, error) {
	switch {
	case ans.Decline:
		msg := ""
		if ans.Reason == "" {
			msg = "Bitte geben Sie einen Grund für die Ablehnung an."
		} else if len([]rune(ans.Reason)) > 1000 {
			msg = "Bitte kürzen Sie den Grund auf 1000 Zeichen."
		}
		if msg != "" {
			return "", &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{"reason": msg}}
		}
	case ans.Voucher != "":
		c, err := voucher.Parse(ans.Voucher)
		if err != nil {
			msg := "Bitte wählen Sie einen freien Gutschein der angefragten Qualifizierung."
			return "", &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{"voucher": msg}}
		}
		return c, nil
	case !ans.Application:
		msg := "Bitte wählen Sie einen Gutschein oder einen neuen Antrag."
		return "", &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{"voucher": msg}}
	}
	return "", nil
}

// boolRank orders false before true.
func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
