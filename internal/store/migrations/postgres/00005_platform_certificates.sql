-- +goose Up
-- Base certificates of an advanced-track application that are already on
-- the platform; they are checked automatically.
CREATE TABLE application_platform_certificates (
    application_id BIGINT NOT NULL REFERENCES applications(id),
    position       BIGINT NOT NULL,
    person_name    TEXT NOT NULL,
    certificate_id TEXT NOT NULL REFERENCES certificates(id),
    PRIMARY KEY (application_id, position)
);

-- +goose Down
DROP TABLE application_platform_certificates;
