package store

import (
	"context"
	"strings"
)

// PlaceAGS finds the municipality a feed's place names: by its postcode
// when given, else by its name (the directory's names may carry a suffix
// such as ", Stadt"); the largest of several namesakes wins. It returns ""
// when the directory has no such municipality.
func (tx *Tx) PlaceAGS(ctx context.Context, name, postcode string) (string, error) {
	var ags string
	if pc := strings.TrimSpace(postcode); pc != "" {
		err := tx.QueryRowContext(ctx, `SELECT ags FROM municipalities WHERE kind = 'municipality' AND postcode = $1
			ORDER BY population DESC, ags LIMIT 1`, pc).Scan(&ags)
		if err == nil {
			return ags, nil
		} else if !errNoRows(err) {
			return "", err
		}
	}
	n := foldName(strings.TrimSpace(name))
	if n == "" {
		return "", nil
	}
	err := tx.QueryRowContext(ctx, `SELECT ags FROM municipalities WHERE kind = 'municipality'
		AND (search_name = $1 OR search_name LIKE $2 ESCAPE '\')
		ORDER BY CASE WHEN search_name = $1 THEN 0 ELSE 1 END, population DESC, ags LIMIT 1`, n, escapeLike(n)+",%").Scan(&ags)
	if errNoRows(err) {
		return "", nil
	}
	return ags, err
}
