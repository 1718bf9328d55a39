package competences

import (
	"strings"
	"testing"
)

func TestDefaultFrameworkCoversTheAreasOfTheProduct(t *testing.T) {
	cs := Default()
	areas := map[string]int{}
	for _, c := range cs {
		if c.Code != c.Area {
			areas[c.Area]++
		}
	}
	for _, a := range []string{"STRAT", "RECHT", "EGOV", "CHANGE", "PM", "PROZ", "KI", "SEC", "NEWWORK", "SMART"} {
		if areas[a] < 2 {
			t.Errorf("area %s has %d competences", a, areas[a])
		}
	}
}

func TestParseRefusesBrokenFrameworks(t *testing.T) {
	for name, in := range map[string]string{
		"no header":       "X;X;Name;\n",
		"orphan":          "code;area;name;description\nA.1;A;Name;\n",
		"duplicate":       "code;area;name;description\nA;A;Bereich;\nA;A;Bereich;\n",
		"too few columns": "code;area;name;description\nA;A\n",
	} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	cs, err := Parse(strings.NewReader("\ufeffcode;area;name;description\nA;A;Bereich;\nA.1;A;Kompetenz;Text\n"))
	if err != nil || len(cs) != 2 || cs[1].Area != "A" {
		t.Fatalf("%+v %v", cs, err)
	}
}
