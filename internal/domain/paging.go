package domain

// MaxPage is the most rows one page of a keyset-paged list may ask for
// (the API's "limit", the store's page size).
const MaxPage = 200
