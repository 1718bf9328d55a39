package credentials

import "embed"

//go:embed contexts/*.json contexts/*.jsonld
var contextFiles embed.FS

// contextFile maps each pinned context URL to its file in contexts/ (see
// contexts/README.md for versions, sources and licences).
var contextFile = map[string]string{
	ContextCredentialsV2: "contexts/credentials-v2.jsonld",
	ContextOpenBadges:    "contexts/ob-v3p0-context-3.0.3.json",
}

// Context returns the pinned JSON-LD context document for a context URL a
// credential names, so that a verifier or the verification page can serve
// or use it offline. It reports false for any other URL: contexts are never
// fetched.
func Context(url string) ([]byte, bool) {
	name, ok := contextFile[url]
	if !ok {
		return nil, false
	}
	b, err := contextFiles.ReadFile(name)
	if err != nil { // cannot happen: the files are embedded
		return nil, false
	}
	return b, true
}

// ContextURLs lists the URLs Context answers for.
func ContextURLs() []string {
	return []string{ContextCredentialsV2, ContextOpenBadges}
}
