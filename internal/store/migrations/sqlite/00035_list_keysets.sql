-- +goose Up
-- Issue 14: the long lists page with a cursor on their sort key instead
-- of OFFSET; these indexes let a page start at the cursor and read only
-- its rows in order, without sorting the table.
-- The organisations by name (all, and of one kind).
CREATE INDEX organisations_name ON organisations(name, id);
CREATE INDEX organisations_kind_name ON organisations(kind, name, id);
-- The applications by their last change (all, and of one status).
CREATE INDEX applications_updated ON applications(updated_at, id);
CREATE INDEX applications_status_updated ON applications(status, updated_at, id);
-- The directory by population (the order without a search term).
CREATE INDEX municipalities_population ON municipalities(population DESC, ags);
-- The published offers of the MOOChub feed by their last change.
CREATE INDEX offers_status_updated ON offers(status, updated_at, id);
-- A provider's own offers by their last change.
CREATE INDEX offers_provider_updated ON offers(provider_id, updated_at, id);

-- +goose Down
DROP INDEX offers_provider_updated;
DROP INDEX offers_status_updated;
DROP INDEX municipalities_population;
DROP INDEX applications_status_updated;
DROP INDEX applications_updated;
DROP INDEX organisations_kind_name;
DROP INDEX organisations_name;
