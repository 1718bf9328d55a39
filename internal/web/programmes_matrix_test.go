package web

import "net/url"

// programmes: who may create, change, clone, export and import programmes.
// The list is public; the ministry's funder and admins do the rest (the
// funder for its own programmes).
func init() {
	bw := "/programme/digitallotsen-bw"
	api := "/api/v1/programmes/digitallotsen-bw"
	matrixCases = append(matrixCases,
		matrixCase{pattern: "GET /programme", path: "/programme", who: everyone},
		matrixCase{pattern: "GET /programme/neu", path: "/programme/neu", who: funders},
		matrixCase{pattern: "POST /programme/neu", path: "/programme/neu", form: url.Values{"id": {""}}, who: funders},
		matrixCase{pattern: "GET /programme/import", path: "/programme/import", who: funders},
		matrixCase{pattern: "POST /programme/import", path: "/programme/import", form: url.Values{"json": {""}}, who: funders},
		matrixCase{pattern: "GET /programme/{id}/bearbeiten", path: bw + "/bearbeiten", who: funders},
		matrixCase{pattern: "POST /programme/{id}/bearbeiten", path: bw + "/bearbeiten", form: url.Values{"voucher_validity_days": {"x"}}, who: funders},
		matrixCase{pattern: "GET /programme/{id}/kopieren", path: bw + "/kopieren", who: funders},
		matrixCase{pattern: "POST /programme/{id}/kopieren", path: bw + "/kopieren", form: url.Values{"id": {""}}, who: funders},
		matrixCase{pattern: "GET /programme/{id}/export", path: bw + "/export", who: funders},
		matrixCase{pattern: "POST /api/v1/programmes", path: "/api/v1/programmes", json: `{}`, who: funders},
		matrixCase{pattern: "PATCH /api/v1/programmes/{id}", path: api, json: `{"voucher_validity_days": 0}`, who: funders},
		matrixCase{pattern: "POST /api/v1/programmes/{id}/clone", path: api + "/clone", json: `{"id": ""}`, who: funders},
		matrixCase{pattern: "GET /api/v1/programmes/{id}/export", path: api + "/export", who: funders},
		matrixCase{pattern: "POST /api/v1/programmes/import", path: "/api/v1/programmes/import", json: `{}`, who: funders},
	)
}
