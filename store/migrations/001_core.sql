-- The canonical tables. Names and columns are a contract other tools rely on:
-- add columns freely, never rename these.

-- geo: a kommun (municipality, four-character code such as '1480'), a county/region
-- (two-digit län code such as '14') or Sweden ('0000').
CREATE TABLE geo (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('kommun', 'region', 'riket')),
    county_code VARCHAR,
    region_name VARCHAR,
    name_en     VARCHAR,
    nuts2       VARCHAR
);

-- occupation: SSYK 2012 (and SSYK 96, AID) codes at every level a source names.
CREATE TABLE occupation (
    scheme      VARCHAR NOT NULL,
    code        VARCHAR NOT NULL,
    name_sv     VARCHAR,
    name_en     VARCHAR,
    level       INTEGER,
    parent_code VARCHAR,
    PRIMARY KEY (scheme, code)
);

-- dataset: one row per loaded file (or named dataset); re-ingest replaces its rows.
CREATE TABLE dataset (
    dataset_id    VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    source_file   VARCHAR,
    sha256        VARCHAR,
    format        VARCHAR,
    kind          VARCHAR,
    title         VARCHAR,
    synthetic     BOOLEAN DEFAULT false,
    loaded_at     TIMESTAMP,
    rows_read     BIGINT,
    rows_loaded   BIGINT,
    rows_rejected BIGINT,
    CHECK (rows_read = rows_loaded + rows_rejected)
);

-- observation: every aggregate table in long, tidy form. A suppressed or missing
-- value is NULL with the source's symbol in status, never 0.
CREATE TABLE observation (
    dataset_id      VARCHAR NOT NULL,
    measure         VARCHAR NOT NULL,
    geo_code        VARCHAR,
    period          VARCHAR,
    sex             VARCHAR CHECK (sex IN ('T', 'K', 'M')),
    occupation_code VARCHAR,
    sector          VARCHAR,
    dims            JSON,
    value           DOUBLE,
    n               DOUBLE,
    status          VARCHAR,
    unit            VARCHAR
);

-- employee: one row per person and period from an HR register extract.
CREATE TABLE employee (
    dataset_id       VARCHAR NOT NULL,
    period           VARCHAR NOT NULL,
    employer_code    VARCHAR NOT NULL,
    person_key       VARCHAR NOT NULL,
    sex              VARCHAR NOT NULL CHECK (sex IN ('K', 'M')),
    birth_year       INTEGER,
    age              INTEGER,
    occupation_code  VARCHAR,
    aid_code         VARCHAR,
    occupation_label VARCHAR,
    monthly_wage_fte DOUBLE,
    employment_rate  DOUBLE,
    contract         VARCHAR,
    hourly_paid      BOOLEAN,
    scheduled_hours  DOUBLE,
    sick_leave_hours DOUBLE,
    is_manager       BOOLEAN,
    education        VARCHAR,
    sector           VARCHAR,
    flextime         BOOLEAN,
    split_shifts     BOOLEAN,
    evening_weekend  BOOLEAN,
    line             BIGINT
);

-- rejected_row: every row a load could not read, with where and why.
CREATE TABLE rejected_row (
    dataset_id  VARCHAR NOT NULL,
    source_file VARCHAR,
    sheet       VARCHAR,
    line        BIGINT,
    "column"    VARCHAR,
    reason      VARCHAR NOT NULL,
    raw         VARCHAR
);
