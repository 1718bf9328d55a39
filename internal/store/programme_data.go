package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/lotse-oss/lotse/internal/domain"
)

// InsertProgramme creates a new programme inside tx; a programme with the
// same ID is a conflict with a German message for the ID field. action is
// the audit action ("programme.create", "programme.clone",
// "programme.import"); from names the source of a clone or import.
func (tx *Tx) InsertProgramme(ctx context.Context, p *domain.Programme, action, from string) error {
	p.ProviderIDs = slices.Compact(slices.Sorted(slices.Values(p.ProviderIDs)))
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM programmes WHERE id = $1`, p.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return domain.ErrProgrammeIDTaken(p.ID)
	}
	p.UpdatedAt = tx.now
	config, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO programmes (id, name, config, updated_at) VALUES ($1, $2, $3, $4)`,
		p.ID, p.Name, string(config), tx.now); err != nil {
		return err
	}
	if err := tx.CatalogLabelsChanged(ctx); err != nil {
		return err
	}
	detail := map[string]any{"new": p}
	if from != "" {
		detail["from"] = from
	}
	return tx.audit(ctx, p.FunderID, action, "programme", p.ID, detail)
}

// OrgRefs returns the references of the organisations ids, giving each
// one without a stable key a key made from its name (unique, with a
// number appended where needed).
func (tx *Tx) OrgRefs(ctx context.Context, ids []int64) (map[int64]domain.OrgRef, error) {
	out := map[int64]domain.OrgRef{}
	for _, id := range ids {
		if _, ok := out[id]; ok {
			continue
		}
		var r domain.OrgRef
		var kind string
		if err := tx.QueryRowContext(ctx, `SELECT name, kind FROM organisations WHERE id = $1`, id).Scan(&r.Name, &kind); err != nil {
			if errNoRows(err) {
				return nil, domain.ErrProgrammeOrgGone(id)
			}
			return nil, err
		}
		r.Kind = domain.OrgKind(kind)
		err := tx.QueryRowContext(ctx, `SELECT key FROM org_keys WHERE org_id = $1`, id).Scan(&r.Key)
		if errNoRows(err) {
			r.Key, err = tx.newOrgKey(ctx, id, r.Name)
		}
		if err != nil {
			return nil, err
		}
		out[id] = r
	}
	return out, nil
}

// newOrgKey gives organisation id a key made from its name.
func (tx *Tx) newOrgKey(ctx context.Context, id int64, name string) (string, error) {
	base := domain.OrgKeyFromName(name)
	for i := 1; ; i++ {
		k := base
		if i > 1 {
			k = fmt.Sprintf("%s-%d", base, i)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM org_keys WHERE key = $1`, k).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			_, err := tx.ExecContext(ctx, `INSERT INTO org_keys (key, org_id) VALUES ($1, $2)`, k, id)
			return k, err
		}
	}
}

// SetOrgKey gives organisation id the stable key k (replacing its old
// one); a key another organisation holds is a conflict.
func (tx *Tx) SetOrgKey(ctx context.Context, id int64, k string) error {
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT org_id FROM org_keys WHERE key = $1`, k).Scan(&other)
	switch {
	case err == nil && other == id:
		return nil
	case err == nil:
		return domain.ErrOrgKeyTaken(k)
	case !errNoRows(err):
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM org_keys WHERE org_id = $1`, id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO org_keys (key, org_id) VALUES ($1, $2)`, k, id)
	return err
}

// ResolveOrgRefs finds this instance's organisations for refs: by key, or
// else by the same name and kind when exactly one organisation without a
// key has them (it then gets the key). With create, organisations still
// missing are created with the reference's name and kind. It returns the
// IDs by key; keys it cannot resolve are left out.
func (tx *Tx) ResolveOrgRefs(ctx context.Context, refs []domain.OrgRef, create bool) (map[string]int64, error) {
	out := map[string]int64{}
	for _, r := range refs {
		var id int64
		var kind string
		err := tx.QueryRowContext(ctx, `SELECT o.id, o.kind FROM org_keys k JOIN organisations o ON o.id = k.org_id WHERE k.key = $1`,
			r.Key).Scan(&id, &kind)
		if err == nil {
			if domain.OrgKind(kind) == r.Kind {
				out[r.Key] = id
			}
			continue
		}
		if !errNoRows(err) {
			return nil, err
		}
		rows, err := tx.QueryContext(ctx, `SELECT o.id FROM organisations o WHERE o.name = $1 AND o.kind = $2
			AND NOT EXISTS (SELECT 1 FROM org_keys k WHERE k.org_id = o.id) ORDER BY o.id LIMIT 2`, r.Name, string(r.Kind))
		if err != nil {
			return nil, err
		}
		var found []int64
		for rows.Next() {
			var x int64
			if err := rows.Scan(&x); err != nil {
				rows.Close()
				return nil, err
			}
			found = append(found, x)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		switch {
		case len(found) == 1:
			id = found[0]
		case len(found) == 0 && create:
			o := &domain.Organisation{Name: r.Name, Kind: r.Kind}
			if err := o.Validate(); err != nil {
				return nil, err
			}
			if err := tx.createOrganisation(ctx, o); err != nil {
				return nil, err
			}
			id = o.ID
		default:
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO org_keys (key, org_id) VALUES ($1, $2)`, r.Key, id); err != nil {
			return nil, err
		}
		out[r.Key] = id
	}
	return out, nil
}
