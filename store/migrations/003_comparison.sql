-- Results of `jamstat compare` (package analysis/compare): per employer and
-- period, the most female- and the most male-dominated occupational group
-- and every working condition compared between them. Reports and the server
-- read these tables. run_key names the settings (level, threshold, boundary,
-- min n, k, share metric); a new run with the same settings replaces the
-- rows of the employers and periods it covers.

CREATE TABLE comparison_run (
    run_key      VARCHAR NOT NULL,
    period       VARCHAR NOT NULL,
    county_code  VARCHAR NOT NULL,
    level        VARCHAR NOT NULL,       -- ssyk4 | ssyk3 | aid
    threshold    DOUBLE NOT NULL,        -- percent, e.g. 60
    inclusive    BOOLEAN NOT NULL,       -- true: share >= threshold; false: >
    share_metric VARCHAR NOT NULL,       -- headcount | fte (årsarbetare)
    min_n        INTEGER NOT NULL,
    k            INTEGER NOT NULL,       -- disclosure threshold
    confidence   DOUBLE NOT NULL,
    bootstrap    INTEGER NOT NULL,
    seed         BIGINT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (run_key, period, county_code)
);

-- One row per run, period, employer and condition. Values that are not
-- published are NULL with the reason in *_status, never 0.
CREATE TABLE comparison (
    run_key              VARCHAR NOT NULL,
    period               VARCHAR NOT NULL,
    employer_code        VARCHAR NOT NULL,
    employer_name        VARCHAR,
    county_code          VARCHAR NOT NULL,
    sector               VARCHAR,             -- kommun | region
    employees            INTEGER NOT NULL,    -- all employees of the employer
    female_code          VARCHAR,             -- NULL: no kvinnodominerad group qualifies
    female_name          VARCHAR,
    female_n             INTEGER,
    female_women_pct     DOUBLE,
    female_group_status  VARCHAR,
    male_code            VARCHAR,             -- NULL: no mansdominerad group qualifies
    male_name            VARCHAR,
    male_n               INTEGER,
    male_women_pct       DOUBLE,
    male_group_status    VARCHAR,
    condition_id         VARCHAR NOT NULL,
    condition_order      INTEGER NOT NULL,
    kind                 VARCHAR NOT NULL,    -- share | mean | median | ratio | per_area
    unit                 VARCHAR,
    worse                VARCHAR NOT NULL,    -- higher | lower
    female_value         DOUBLE,
    female_value_n       INTEGER,
    female_status        VARCHAR,
    male_value           DOUBLE,
    male_value_n         INTEGER,
    male_status          VARCHAR,
    diff                 DOUBLE,              -- female − male
    diff_lo              DOUBLE,
    diff_hi              DOUBLE,
    ratio                DOUBLE,              -- 100 · female / male
    ratio_lo             DOUBLE,
    ratio_hi             DOUBLE,
    distinguishable      BOOLEAN,
    female_worse         BOOLEAN,
    method               VARCHAR,
    status               VARCHAR,
    PRIMARY KEY (run_key, period, employer_code, condition_id)
);

-- County summary per run, period, county and condition.
CREATE TABLE comparison_summary (
    run_key                      VARCHAR NOT NULL,
    period                       VARCHAR NOT NULL,
    county_code                  VARCHAR NOT NULL,
    condition_id                 VARCHAR NOT NULL,
    condition_order              INTEGER NOT NULL,
    employers                    INTEGER NOT NULL,
    compared                     INTEGER NOT NULL,
    female_worse                 INTEGER NOT NULL,
    female_worse_distinguishable INTEGER NOT NULL,
    male_worse                   INTEGER NOT NULL,
    male_worse_distinguishable   INTEGER NOT NULL,
    PRIMARY KEY (run_key, period, county_code, condition_id)
);
