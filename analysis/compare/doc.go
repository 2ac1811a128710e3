// Package compare is the per-employer working-conditions comparison of the
// report "Hur jämställda är arbetsvillkoren?" (16 county boards, 2023): in
// each kommun and region it sets the most female-dominated occupational
// group against the most male-dominated one on every working condition.
//
// Place in the flow: it reads employee microdata (table employee, loaded
// from HR register extracts) from the store and writes its results back to
// the tables comparison_run, comparison and comparison_summary
// (store/migrations/003_comparison.sql) for reports and the server.
//
// # Method
//
// Groups. Employees are grouped per employer × period by occupation at the
// chosen level: SSYK 2012 four digits (default), three digits, or AID. A
// person without a code at the level belongs to no group (counted as
// Employer.Unclassified, never dropped silently).
//
// Classification (DOMAIN §5; analysis.ClassifyGroups): a group is
// kvinnodominerad when the share of women is above the threshold (default
// 60 %), mansdominerad when the share of men is, jämn otherwise; with
// Inclusive the boundary is "at least". The share is of persons (default)
// or of årsarbetare (Σ employment rate; a person without a rate weighs 0).
//
// Picks (analysis.DominanceExtremes): among groups with at least MinN
// persons, the kvinnodominerad group with the highest share of women and
// the mansdominerad group with the highest share of men; ties go to the
// larger group, then the smaller code. An employer with no qualifying group
// on one side is reported with that side nil and a status saying why; its
// other group's values are still given.
//
// Conditions are data (conditions.yaml, overridable): each has a kind
// (share, mean, median, ratio, per_area), SQL expressions over the employee
// columns and the direction that is worse. Defaults: monthly wage (mean
// with kvinnogruppens lön i procent av mansgruppens, and median), part-time
// share (sysselsättningsgrad < 100), mean employment rate, temporary
// contracts (visstid or timavlönad), hourly paid, sick leave (Σ sick hours /
// Σ scheduled hours · 100), employees per manager, and the survey items
// flextime, split shifts and evening/weekend work. A NULL is "not known"
// and is left out; a condition no one in a group has is "no data", never 0.
//
// Employees per manager. The HR export has no reporting line, so the value
// for a group is that of its ledningsområde (management area, areas.yaml):
// all employees of the employer in the area (persons with a known manager
// flag) divided by the managers among them. Persons are put in areas by the
// longest matching SSYK prefix (managers' 1xxx codes point to the area they
// lead, e.g. 153 Chefer inom äldreomsorg → vård och omsorg); a group's area
// is the one most of its persons are in. This follows DOMAIN §5
// (medarbetare per chef = employees / managers) at the level where both are
// observed; two groups in the same area have the same value and a
// difference of exactly 0.
//
// # Differences and intervals (level Options.Confidence, default 95 %)
//
// Difference = female-dominated group − male-dominated group: percentage
// points for shares and percentages, SEK (the unit) otherwise; wages also
// get the ratio 100 · female / male.
//
//   - share: Newcombe's hybrid score interval from Wilson limits
//     (analysis.NewcombeDiff).
//   - mean: Welch's t interval from the groups' means, SDs and sizes
//     (analysis.WelchDiffSummary); the ratio by percentile bootstrap.
//   - median: percentile bootstrap of the difference and the ratio.
//   - ratio (sick leave): the ratio estimator's linearisation (delta method)
//     variance Σ(y − Rx)² / ((n−1) n x̄²) per group, t quantile with
//     Welch–Satterthwaite degrees of freedom.
//   - per_area: Wilson interval of managers/employees inverted to
//     employees/manager, combined by MOVER (Zou & Donner 2008).
//
// Bootstraps resample each group's persons separately, Options.Bootstrap
// times (default 2000), seeded from Options.Seed and the employer, period
// and condition, so every run gives the same intervals whatever the order
// or number of CPUs. A difference is distinguishable from zero when its
// interval excludes 0. The county summary counts, per condition, the
// employers where the female-dominated group is worse off (lower wage, more
// part-time, …; conditions.yaml gives each direction) and how many of those
// are distinguishable, and likewise the other way.
//
// # Disclosure
//
// A value resting on fewer than K persons (default 5) is not published: it
// is nil with status "suppressed". MinN must be at least K (Run refuses
// otherwise), so a picked group's size and share of women are always
// publishable; a condition that only some persons have (e.g. a survey item)
// can still be suppressed.
//
// # Performance
//
// Group sizes and management-area counts are computed by DuckDB over all
// employees in two GROUP BY queries; the picks go back as one JSON
// parameter and only the picked groups' sufficient statistics (and their
// wages, for the bootstrap) come to Go.
package compare
