-- Goal catalogues and indicator definitions as loaded (replaced on every
-- `jamstat indicators compute`), and the computed indicator values.

-- strategy: a gender-equality strategy (the national goals or a länsstrategi).
CREATE TABLE strategy (
    strategy_id   VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    name_en       VARCHAR,
    issuer        VARCHAR,
    scope         VARCHAR,          -- geo code the strategy covers: '0000' or a county '14'
    start_year    INTEGER,
    end_year      INTEGER,
    baseline_year INTEGER,
    vision        VARCHAR,
    goals_total   INTEGER,          -- goals the strategy has, listed here or not
    source        VARCHAR,
    note          VARCHAR,
    file          VARCHAR
);

-- delmal: the six national gender-equality sub-goals.
CREATE TABLE delmal (
    number  INTEGER PRIMARY KEY,
    text    VARCHAR NOT NULL,
    text_en VARCHAR
);

-- goal_area: a strategy's priority areas.
CREATE TABLE goal_area (
    area_id     VARCHAR PRIMARY KEY,
    strategy_id VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    name_en     VARCHAR
);

-- goal: one goal (mål, målbild) as published.
CREATE TABLE goal (
    goal_id       VARCHAR PRIMARY KEY,
    strategy_id   VARCHAR NOT NULL,
    text          VARCHAR NOT NULL,
    text_en       VARCHAR,
    area_id       VARCHAR,
    source        VARCHAR,
    baseline_year INTEGER,
    via_delmal    BOOLEAN,
    file          VARCHAR,
    line          INTEGER
);

CREATE TABLE goal_delmal (
    goal_id VARCHAR NOT NULL,
    delmal  INTEGER NOT NULL
);

-- indicator: one indicator definition.
CREATE TABLE indicator (
    indicator_id   VARCHAR PRIMARY KEY,
    title_sv       VARCHAR NOT NULL,
    title_en       VARCHAR,
    description_sv VARCHAR,
    description_en VARCHAR,
    unit           VARCHAR,
    kind           VARCHAR NOT NULL,
    polarity       VARCHAR NOT NULL,
    parity_target  DOUBLE,
    tolerance      DOUBLE,
    min_n          INTEGER NOT NULL,
    follow         VARCHAR,         -- series goal status follows: T, K, M or gap
    source         VARCHAR,
    definition     VARCHAR,
    inputs         JSON,
    file           VARCHAR,
    line           INTEGER
);

-- indicator_goal / indicator_delmal / indicator_area: what an indicator follows up.
CREATE TABLE indicator_goal (
    indicator_id VARCHAR NOT NULL,
    goal_id      VARCHAR NOT NULL
);
CREATE TABLE indicator_delmal (
    indicator_id VARCHAR NOT NULL,
    delmal       INTEGER NOT NULL
);
CREATE TABLE indicator_area (
    indicator_id VARCHAR NOT NULL,
    area_id      VARCHAR NOT NULL
);

-- indicator_value: one computed value. One row per (indicator, geo_code,
-- period, sex, "group", method). A value hidden by disclosure control is
-- NULL with status '..' and n NULL; a value the source did not publish is
-- NULL with the source's status. Never 0 in place of a missing value.
--   method: 'direct'      the geography's own figure (a kommun's, or a county's or Sweden's as published)
--           'employer'    from HR microdata of one employer (a kommun or a region as employer)
--           'headcount-weighted' pooled over the members (sum of numerators over sum of denominators)
--           'unweighted mean of kommuner (Kolada-style)' mean of the members' published values
--   "group": '' = everyone; 'ssyk4:5321'; 'dominance:female|male|mixed'; 'occupation:214'
CREATE TABLE indicator_value (
    indicator   VARCHAR NOT NULL,
    geo_code    VARCHAR NOT NULL,
    period      VARCHAR NOT NULL,
    sex         VARCHAR NOT NULL CHECK (sex IN ('T', 'K', 'M')),
    "group"     VARCHAR NOT NULL,
    method      VARCHAR NOT NULL,
    value       DOUBLE,
    numerator   DOUBLE,
    denominator DOUBLE,
    n           DOUBLE,             -- persons behind the value, when known
    members     INTEGER,            -- member geographies that contributed (aggregates)
    status      VARCHAR NOT NULL DEFAULT '',
    computed_at TIMESTAMP NOT NULL
);
