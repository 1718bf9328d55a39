package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/certify"
	"github.com/lotse-oss/lotse/internal/competences"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/directory"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

func runImport(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "import", "municipalities FILE [--data DIR | --database URL]")
	var d dbFlags
	d.register(fs, env)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || (pos[0] != "municipalities" && pos[0] != "competences") {
		fs.Usage()
		return fmt.Errorf("expected: import municipalities FILE or import competences FILE")
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if pos[0] == "competences" {
		cs, err := competences.Parse(f)
		if err != nil {
			return err
		}
		if err := db.ImportCompetences(ctx, cs); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "imported %d entries of the competence framework\n", len(cs))
		return nil
	}
	st, err := directory.Import(ctx, db, f, pos[1])
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "imported %d states, %d districts, %d municipalities: %d new, %d updated, %d unchanged\n",
		st.States, st.Districts, st.Municipalities, st.Inserted, st.Updated, st.Unchanged)
	return nil
}

func runUser(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "grant") {
		return fmt.Errorf("expected: user create ... or user grant ...")
	}
	sub := args[0]
	fs := newFlagSet(env, "user "+sub, "--email E ...")
	var d dbFlags
	d.register(fs, env)
	email := fs.String("email", "", "e-mail address of the person")
	name := fs.String("name", "", "name of the person (create)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (create)")
	org := fs.String("org", "", "organisation: its ID, AGS or exact name (grant)")
	var roles []domain.Role
	fs.Func("role", "role to grant; repeat for several (grant)", func(s string) error {
		roles = append(roles, domain.Role(s))
		return nil
	})
	if _, err := parseInterspersed(fs, args[1:]); err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "create":
		pw := ""
		if *pwStdin {
			if pw, err = readPassword(env.Stdin); err != nil {
				return err
			}
		}
		p := &domain.Person{Email: *email, Name: *name}
		if err := db.CreatePerson(ctx, p, pw); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "created person %d <%s>\n", p.ID, p.Email)
	case "grant":
		p, err := db.PersonByEmail(ctx, *email)
		if err != nil {
			return err
		}
		o, err := findOrg(ctx, db, *org)
		if err != nil {
			return err
		}
		if len(roles) == 0 {
			return fmt.Errorf("name at least one --role")
		}
		// Granting adds to the roles the person already holds there.
		ms, err := db.Memberships(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.OrgID == o.ID {
				roles = append(roles, m.Roles...)
			}
		}
		if err := db.Transact(ctx, func(tx *store.Tx) error { return account.SetRolesInTx(ctx, tx, o.ID, p.ID, roles) }); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "granted %v in %s to <%s>\n", roles, o.Name, p.Email)
	}
	return nil
}

type orgFinder interface {
	Organisation(ctx context.Context, id int64) (*domain.Organisation, error)
	OrganisationByAGS(ctx context.Context, ags string) (*domain.Organisation, error)
	Organisations(ctx context.Context, f domain.OrgFilter) ([]domain.Organisation, int, error)
}

// findOrg finds an organisation by ID, AGS or exact name.
func findOrg(ctx context.Context, db orgFinder, key string) (*domain.Organisation, error) {
	if key == "" {
		return nil, fmt.Errorf("name the organisation with --org")
	}
	if domain.ValidAGS(key) {
		if o, err := db.OrganisationByAGS(ctx, key); err == nil {
			return o, nil
		}
	}
	if id, err := strconv.ParseInt(key, 10, 64); err == nil {
		return db.Organisation(ctx, id)
	}
	orgs, _, err := db.Organisations(ctx, domain.OrgFilter{Query: &key, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if o.Name == key {
			return &o, nil
		}
	}
	return nil, fmt.Errorf("no organisation %q", key)
}

func runToken(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("expected: token create --email E")
	}
	fs := newFlagSet(env, "token create", "--email E [--name N] [--days D] [--scope S ...]")
	var d dbFlags
	d.register(fs, env)
	email := fs.String("email", "", "e-mail address of the token's owner")
	name := fs.String("name", "Kommandozeile", "name of the token")
	days := fs.Int("days", 90, "lifetime in days, at most 365")
	var scopes []domain.TokenScope
	fs.Func("scope", "limit the token: read, bookings or vouchers (repeatable; default full access)", func(v string) error {
		scopes = append(scopes, domain.TokenScope(v))
		return nil
	})
	if _, err := parseInterspersed(fs, args[1:]); err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.PersonByEmail(ctx, *email)
	if err != nil {
		return err
	}
	if *days < 1 || *days > 365 {
		return fmt.Errorf("--days must be between 1 and 365")
	}
	t, value, err := db.CreateScopedToken(domain.WithActor(ctx, &domain.Actor{Person: p}), p.ID,
		domain.NewToken{Name: *name, ExpiresAt: db.Now().AddDate(0, 0, *days), Scopes: scopes})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created token %d %q for <%s>, valid until %s (%s); it is shown only once:\n%s\n", t.ID, t.Name, p.Email,
		t.ExpiresAt.Format("2006-01-02"), domain.JoinScopes(t.Scopes), value)
	return nil
}

func runDemo(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "demo", "[--data DIR | --database URL] [--password P] [--offers N] [--scale F [--gv100 FILE]]")
	var d dbFlags
	d.register(fs, env)
	pw := fs.String("password", envOr(env, "LOTSE_DEMO_PASSWORD", demo.DefaultPassword), "password of every demo login (env LOTSE_DEMO_PASSWORD)")
	base := fs.String("base-url", envOr(env, "LOTSE_BASE_URL", "http://localhost:8080"), "public URL the demo's certificates point to (env LOTSE_BASE_URL)")
	defOffers, err := strconv.Atoi(envOr(env, "LOTSE_DEMO_OFFERS", "0"))
	if err != nil {
		return fmt.Errorf("LOTSE_DEMO_OFFERS must be a number of offers")
	}
	offers := fs.Int("offers", defOffers, "generate N more offers after the demo data, to try the catalog with many offers (env LOTSE_DEMO_OFFERS)")
	scale := fs.Float64("scale", 0, "generate F times the promised scale after the demo data (1: 2,000,000 people, 11,000 municipalities, 100,000 offers, 10,000,000 bookings; 0.01 a hundredth)")
	gv100 := fs.String("gv100", "", "municipality directory (GV100AD) whose municipalities --scale uses (default: found in ../shared/data or $LOTSE_GV100; numbered municipalities without it)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *scale < 0 || *scale > 10 {
		return fmt.Errorf("--scale must be between 0 and 10")
	}
	if *offers < 0 {
		return fmt.Errorf("--offers must not be negative")
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	loaded, err := demo.Load(ctx, db, *pw)
	if err != nil {
		return err
	}
	if err := demo.Story(ctx, db, *base, *pw); err != nil {
		return err
	}
	if !loaded {
		fmt.Fprintln(env.Stdout, "demo data is already loaded")
	} else {
		printLogins(env, *pw)
		for _, l := range demo.CatalogLogins {
			fmt.Fprintf(env.Stdout, "  %-36s %s, %s\n", l.Email, l.Name, l.Org)
		}
	}
	if *offers > 0 {
		start := time.Now()
		if err := demo.GenerateOffers(ctx, db, *offers, 1, db.Now()); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "generated %d offers in %s\n", *offers, time.Since(start).Round(time.Millisecond))
	}
	if *scale > 0 {
		start := time.Now()
		file := *gv100
		if file == "" {
			file = demo.FindGV100()
		}
		sz, err := demo.GenerateScale(ctx, db, *scale, file, *pw, env.Stdout)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "generated scale %g in %s: %d people in %d municipalities, %d offers, %d bookings; logins person1@%s ... person%d@%s (password: %s)\n",
			*scale, time.Since(start).Round(time.Millisecond), sz.Persons, sz.Municipalities, sz.Offers, sz.Bookings,
			demo.ScaleEmailDomain, sz.Persons, demo.ScaleEmailDomain, *pw)
	}
	return nil
}

func printLogins(env Env, pw string) {
	fmt.Fprintln(env.Stdout, "Demo logins (password: "+pw+"):")
	for _, l := range append(append(demo.Logins, demo.StoryLogins...), demo.HessenLogins...) {
		fmt.Fprintf(env.Stdout, "  %-36s %s, %s\n", l.Email, l.Name, l.Org)
	}
}

func runKeys(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "rotate" {
		return fmt.Errorf("expected: keys rotate")
	}
	fs := newFlagSet(env, "keys rotate", "[--data DIR | --database URL]")
	var d dbFlags
	d.register(fs, env)
	if _, err := parseInterspersed(fs, args[1:]); err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	kid, err := certify.New(db, "").RotateKey(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "new signing key %s; earlier keys stay in /.well-known/jwks.json\n", kid)
	return nil
}
