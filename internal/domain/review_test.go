package domain

import "testing"

func TestNeedsFourEyesByApplicantKind(t *testing.T) {
	for _, c := range []struct {
		mode                   string
		municipality, district bool
	}{
		{"", false, false},
		{FourEyesOff, false, false},
		{FourEyesAll, true, true},
		{FourEyesDistricts, false, true},
		{FourEyesMunicipalities, true, false},
	} {
		p := &Programme{FourEyes: c.mode}
		if got := p.NeedsFourEyes(ApplicantMunicipality); got != c.municipality {
			t.Errorf("%q, municipality: %v", c.mode, got)
		}
		if got := p.NeedsFourEyes(ApplicantDistrict); got != c.district {
			t.Errorf("%q, district: %v", c.mode, got)
		}
	}
}

func TestFourEyesSettingIsValidated(t *testing.T) {
	p := &Programme{FourEyes: "manchmal"}
	if f := ErrorFields(p.Validate()); f["four_eyes"] == "" {
		t.Fatalf("unknown setting accepted: %v", f)
	}
	p.FourEyes = ""
	if f := ErrorFields(p.Validate()); f["four_eyes"] != "" || p.FourEyes != FourEyesOff {
		t.Fatalf("empty setting: %q, %v", p.FourEyes, f)
	}
}

func TestFourEyesStepsAreInternal(t *testing.T) {
	for action, internal := range map[string]bool{"prepare_approve": true, "prepare_reject": true, "prepare_return": true, "confirm": true,
		"discard": true, "approve": false, "reject": false, "return": false, "submit": false} {
		if got := (ApplicationEvent{Action: action}).Internal(); got != internal {
			t.Errorf("%s: internal %v", action, got)
		}
		if (ApplicationEvent{Action: action}).ActionLabel() == action {
			t.Errorf("%s has no German label", action)
		}
	}
}
