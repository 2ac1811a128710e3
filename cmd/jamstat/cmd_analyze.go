package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/analysis"
	"github.com/jamstat/jamstat/store"
)

// frameSource is where `analyze` reads its microdata: a CSV file or an
// employee dataset in the database.
type frameSource struct {
	input   string
	dataset string
	factors []string
}

func (s *frameSource) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&s.input, "input", "", "CSV file with a header row (NA, empty or . = missing)")
	cmd.Flags().StringVar(&s.dataset, "dataset", "", "employee dataset in the database (see `jamstat datasets`)")
	cmd.Flags().StringSliceVar(&s.factors, "factor", nil, "text column to expand into one 0/1 dummy per category (name_level)")
}

func (s *frameSource) load(ctx context.Context, g *globals) (*analysis.Frame, error) {
	var f *analysis.Frame
	var err error
	switch {
	case s.input != "" && s.dataset != "":
		return nil, usagef("give --input or --dataset, not both")
	case s.input != "":
		file, oerr := os.Open(s.input)
		if oerr != nil {
			return nil, fmt.Errorf("analyze: %w", oerr)
		}
		defer file.Close()
		f, err = analysis.ReadCSVFrame(file, s.input)
	case s.dataset != "":
		f, err = employeeFrame(ctx, g, s.dataset)
	default:
		return nil, usagef("give --input FILE or --dataset NAME")
	}
	if err != nil {
		return nil, err
	}
	for _, fac := range s.factors {
		if _, err := f.Dummies(fac); err != nil {
			return nil, fmt.Errorf("analyze: --factor %s: %w", fac, err)
		}
	}
	return f, nil
}

// employeeFrame reads an employee dataset as an analysis frame with the
// columns wage analysts use: ln_wage (log of the full-time monthly wage),
// female (1 for women), age, employment_rate, part_time, manager,
// temporary, and the text columns occupation, education, employer.
func employeeFrame(ctx context.Context, g *globals, dataset string) (*analysis.Frame, error) {
	db, err := g.openReadOnly(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return readEmployeeFrame(ctx, db, dataset)
}

func readEmployeeFrame(ctx context.Context, db *store.DB, dataset string) (*analysis.Frame, error) {
	rows, err := db.SQL.QueryContext(ctx, `
		SELECT monthly_wage_fte,
		       CASE WHEN sex = 'K' THEN 1 ELSE 0 END,
		       coalesce(age, CAST(period AS INTEGER) - birth_year),
		       employment_rate,
		       CASE WHEN employment_rate < 100 THEN 1 ELSE 0 END,
		       CASE WHEN is_manager THEN 1 ELSE 0 END,
		       CASE WHEN contract = 'visstid' THEN 1 ELSE 0 END,
		       coalesce(occupation_code, ''), coalesce(education, ''), employer_code, period
		FROM employee WHERE dataset_id = ? ORDER BY employer_code, person_key`, dataset)
	if err != nil {
		return nil, fmt.Errorf("analyze: dataset %s: %w", dataset, err)
	}
	defer rows.Close()
	nan := math.NaN()
	var wage, female, age, rate, part, mgr, temp []float64
	var occ, edu, emp, period []string
	for rows.Next() {
		var w, a, r *float64
		var fe, p, m, t float64
		var o, e, em, pe string
		if err := rows.Scan(&w, &fe, &a, &r, &p, &m, &t, &o, &e, &em, &pe); err != nil {
			return nil, fmt.Errorf("analyze: dataset %s: %w", dataset, err)
		}
		lw := nan
		if w != nil && *w > 0 {
			lw = math.Log(*w)
		}
		wage = append(wage, lw)
		female = append(female, fe)
		age = append(age, deref(a, nan))
		rate = append(rate, deref(r, nan))
		part, mgr, temp = append(part, p), append(mgr, m), append(temp, t)
		occ, edu, emp, period = append(occ, o), append(edu, e), append(emp, em), append(period, pe)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(wage) == 0 {
		return nil, fmt.Errorf("analyze: dataset %s has no employee rows", dataset)
	}
	f := analysis.NewFrame(dataset, len(wage))
	for name, col := range map[string][]float64{"ln_wage": wage, "female": female, "age": age, "employment_rate": rate,
		"part_time": part, "manager": mgr, "temporary": temp} {
		if err := f.AddNum(name, col); err != nil {
			return nil, err
		}
	}
	for name, col := range map[string][]string{"occupation": occ, "education": edu, "employer": emp, "period": period} {
		if err := f.AddStr(name, col); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func deref(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func writeResult(w io.Writer, format string, v any, table func(io.Writer) error) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case "table":
		return table(w)
	}
	return usagef("--format must be table or json, not %q", format)
}

func init() {
	register(func(g *globals) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "analyze",
			Short: "Wage-gap analysis: OLS regressions and Oaxaca–Blinder decomposition",
			Args:  args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				return usagef("analyze needs a subcommand: ols or oaxaca")
			},
		}
		cmd.AddCommand(analyzeOLSCmd(g), analyzeOaxacaCmd(g))
		return cmd
	})
}

func analyzeOLSCmd(g *globals) *cobra.Command {
	var src frameSource
	var outcome, vars, se, format string
	var noIntercept bool
	cmd := &cobra.Command{
		Use:   "ols (--input FILE | --dataset NAME) --outcome COL --vars a,b,... [--se classical|hc1] [--format table|json]",
		Short: "Ordinary least squares with standard errors, t, p and R²",
		Example: `  jamstat analyze ols --input testdata/real/microdata_wooldridge/wage1.csv --outcome wage --vars female,educ,exper,tenure
  jamstat analyze ols --dataset hr-2024 --outcome ln_wage --vars female,age,part_time --factor education`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if outcome == "" || vars == "" {
				return usagef("--outcome and --vars are required")
			}
			if se != string(analysis.SEClassical) && se != string(analysis.SEHC1) {
				return usagef("--se must be classical or hc1, not %q", se)
			}
			f, err := src.load(cmd.Context(), g)
			if err != nil {
				return err
			}
			res, err := analysis.OLSFromFrame(f, outcome, splitList(vars), analysis.OLSOptions{NoIntercept: noIntercept, SE: analysis.SEType(se)})
			if err != nil {
				return fmt.Errorf("analyze ols: %w", err)
			}
			return writeResult(cmd.OutOrStdout(), format, res, func(w io.Writer) error { return analysis.FormatOLS(w, res) })
		},
	}
	src.flags(cmd)
	cmd.Flags().StringVar(&outcome, "outcome", "", "dependent variable")
	cmd.Flags().StringVar(&vars, "vars", "", "regressors, comma-separated")
	cmd.Flags().StringVar(&se, "se", "classical", "standard errors: classical or hc1 (robust)")
	cmd.Flags().BoolVar(&noIntercept, "no-intercept", false, "leave out the intercept")
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

func analyzeOaxacaCmd(g *globals) *cobra.Command {
	var src frameSource
	var o analysis.OaxacaOptions
	var vars, format string
	var normalize []string
	cmd := &cobra.Command{
		Use:   "oaxaca (--input FILE | --dataset NAME) --outcome COL --group COL [--vars a,b,...] [--normalize d1,d2,...] [--reference pooled|group1|group2] [--format table|json]",
		Short: "Oaxaca–Blinder decomposition of a mean gap (Jann's conventions)",
		Long: `oaxaca decomposes the difference mean(group 1) − mean(group 2) of the outcome, where group 1 is
the lower value of the group variable and group 2 the higher (Jann's oaxaca for Stata): threefold
from the viewpoint of group 2 (endowments, coefficients, interaction) and twofold against the
reference (explained, unexplained; pooled includes a group indicator). --normalize takes every
dummy of one categorical variable, so detailed results do not depend on the omitted category;
repeat it for several variables. Rows with a missing value in any used column are dropped and
counted.`,
		Example: `  jamstat analyze oaxaca --input testdata/real/microdata_chicago_oaxaca/chicago.csv --outcome ln.real.wage \
      --group female --vars age --normalize LTHS,high.school,some.college,college,advanced.degree`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.Outcome == "" || o.Group == "" {
				return usagef("--outcome and --group are required")
			}
			o.Vars = splitList(vars)
			for _, n := range normalize {
				o.Normalize = append(o.Normalize, splitList(n))
			}
			f, err := src.load(cmd.Context(), g)
			if err != nil {
				return err
			}
			res, err := analysis.Oaxaca(f, o)
			if err != nil {
				return fmt.Errorf("analyze oaxaca: %w", err)
			}
			return writeResult(cmd.OutOrStdout(), format, res, func(w io.Writer) error { return analysis.FormatOaxaca(w, res) })
		},
	}
	src.flags(cmd)
	cmd.Flags().StringVar(&o.Outcome, "outcome", "", "outcome variable (e.g. log wage)")
	cmd.Flags().StringVar(&o.Group, "group", "", "0/1 (two-valued) group variable; group 1 = lower value")
	cmd.Flags().StringVar(&vars, "vars", "", "regressors, comma-separated")
	cmd.Flags().StringArrayVar(&normalize, "normalize", nil, "all dummies of one categorical variable, comma-separated (repeatable)")
	cmd.Flags().StringVar(&o.Reference, "reference", analysis.RefPooled, "twofold reference: pooled, omega, group1 or group2")
	cmd.Flags().StringVar(&o.SE, "se", analysis.SEDelta, "standard errors: delta, bootstrap or none")
	cmd.Flags().IntVar(&o.Bootstrap, "bootstrap", 0, "bootstrap replications (implies --se bootstrap)")
	cmd.Flags().Int64Var(&o.Seed, "seed", 1, "bootstrap seed")
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}
