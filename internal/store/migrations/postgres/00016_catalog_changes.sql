-- +goose Up
-- The catalog's change log: which offers changed in which catalog version,
-- written in the same transaction as the change (store.Tx.CatalogChanged),
-- so that every instance applies the changes to its search index one offer
-- at a time instead of rebuilding it. offer_id 0 means "anything may have
-- changed": the instances rebuild. The version row serialises the writers,
-- so versions become visible in order and a reader never skips one. Old
-- rows are pruned; an instance that finds its next version pruned rebuilds.
CREATE TABLE catalog_changes (
    seq      BIGINT NOT NULL,
    offer_id BIGINT NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (seq, offer_id)
);

-- +goose Down
DROP TABLE catalog_changes;
