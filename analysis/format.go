package analysis

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// num renders a coefficient with 7 significant digits, right-aligned in 13
// columns (Stata shows about as many).
func num(x float64) string {
	if math.IsNaN(x) {
		return fmt.Sprintf("%13s", ".")
	}
	return fmt.Sprintf("%13s", strconv.FormatFloat(x, 'g', 7, 64))
}

func label(s string, w int) string {
	if len([]rune(s)) > w {
		r := []rune(s)
		return "~" + string(r[len(r)-w+1:])
	}
	return fmt.Sprintf("%*s", w, s)
}

const labelW = 16

// FormatOLS writes r as a plain-text table in the manner of Stata's regress:
// header with n, R², adjusted R² and root MSE, then coefficient, standard
// error, t and p, with the constant last.
func FormatOLS(w io.Writer, r *OLSResult) error {
	var b strings.Builder
	title := "Linear regression (OLS)"
	if r.SE == SEHC1 {
		title += ", robust (HC1) standard errors"
	}
	fmt.Fprintf(&b, "%-48s Number of obs = %10d\n", title, r.N)
	fmt.Fprintf(&b, "%-48s R-squared     = %10.4f\n", "Outcome: "+r.Outcome, r.R2)
	fmt.Fprintf(&b, "%-48s Adj R-squared = %10.4f\n", fmt.Sprintf("Dropped (missing values): %d", r.Dropped), r.AdjR2)
	fmt.Fprintf(&b, "%-48s Root MSE      = %10.5g\n", "", r.RootMSE)
	rule := strings.Repeat("-", labelW+1) + "+" + strings.Repeat("-", 50) + "\n"
	b.WriteString(rule)
	fmt.Fprintf(&b, "%s | %13s %13s %10s %8s\n", label(r.Outcome, labelW), "Coef.", "Std. Err.", "t", "P>|t|")
	b.WriteString(rule)
	row := func(c Coef) {
		fmt.Fprintf(&b, "%s | %s %s %10.2f %8.3f\n", label(c.Name, labelW), num(c.B), num(c.SE), c.T, c.P)
	}
	for _, c := range r.Coefs {
		if c.Name != ConstName {
			row(c)
		}
	}
	for _, c := range r.Coefs {
		if c.Name == ConstName {
			row(c)
		}
	}
	b.WriteString(strings.Repeat("-", labelW+1) + "+" + strings.Repeat("-", 50) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// FormatOaxaca writes r as a plain-text table in the manner of Jann's
// oaxaca: an overall block (group means, difference, threefold and twofold
// parts) and one block per part with the detailed contributions, each with
// standard error, z and p when standard errors were computed.
func FormatOaxaca(w io.Writer, r *OaxacaResult) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%-48s Number of obs = %10d\n", "Blinder-Oaxaca decomposition", r.N)
	fmt.Fprintf(&b, "%-48s Dropped       = %10d\n", "Outcome: "+r.Outcome, r.Dropped)
	fmt.Fprintf(&b, "%-48s N of obs 1    = %10d\n", fmt.Sprintf("Group 1: %s = %g", r.Group, r.Group1Value), r.N1)
	fmt.Fprintf(&b, "%-48s N of obs 2    = %10d\n", fmt.Sprintf("Group 2: %s = %g", r.Group, r.Group2Value), r.N2)
	ref := r.Reference
	if len(r.Normalized) > 0 {
		var sets []string
		for _, s := range r.Normalized {
			sets = append(sets, strings.Join(s, " "))
		}
		ref += "; normalized: " + strings.Join(sets, " | ")
	}
	fmt.Fprintf(&b, "Twofold reference: %s\n", ref)
	if r.SE != nil {
		m := "Standard errors: " + r.SE.Method
		switch {
		case r.SE.Method == SEBootstrap:
			m += fmt.Sprintf(" (%d replications, seed %d, %d discarded)", r.SE.Replications, r.SE.Seed, r.SE.Discarded)
		case r.SE.FixedX:
			m += " (fixed regressors)"
		}
		b.WriteString(m + "\n")
	}
	rule := strings.Repeat("-", labelW+1) + "+" + strings.Repeat("-", 50) + "\n"
	b.WriteString(rule)
	fmt.Fprintf(&b, "%s | %13s %13s %10s %8s\n", label(r.Outcome, labelW), "Coef.", "Std. Err.", "z", "P>|z|")
	b.WriteString(rule)
	row := func(name string, x, se float64, hasSE bool) {
		if !hasSE {
			fmt.Fprintf(&b, "%s | %s\n", label(name, labelW), num(x))
			return
		}
		if se == 0 {
			fmt.Fprintf(&b, "%s | %s %s %10s %8s\n", label(name, labelW), num(x), num(se), "", "")
			return
		}
		z := x / se
		p := 2 * distuv.UnitNormal.Survival(math.Abs(z))
		fmt.Fprintf(&b, "%s | %s %s %10.2f %8.3f\n", label(name, labelW), num(x), num(se), z, p)
	}
	hasSE := r.SE != nil
	var se OaxacaSE
	if hasSE {
		se = *r.SE
	}
	fmt.Fprintf(&b, "%-*s |\n", labelW, "overall")
	row("group_1", r.Mean1, se.Mean1, hasSE)
	row("group_2", r.Mean2, se.Mean2, hasSE)
	row("difference", r.Difference, se.Difference, hasSE)
	row("endowments", r.Threefold.Endowments, se.Threefold.Endowments, hasSE)
	row("coefficients", r.Threefold.Coefficients, se.Threefold.Coefficients, hasSE)
	row("interaction", r.Threefold.Interaction, se.Threefold.Interaction, hasSE)
	row("explained", r.Twofold.Explained, se.Twofold.Explained, hasSE)
	row("unexplained", r.Twofold.Unexplained, se.Twofold.Unexplained, hasSE)
	parts := []struct {
		name string
		get  func(Threefold, Twofold) float64
	}{
		{"endowments", func(a Threefold, _ Twofold) float64 { return a.Endowments }},
		{"coefficients", func(a Threefold, _ Twofold) float64 { return a.Coefficients }},
		{"interaction", func(a Threefold, _ Twofold) float64 { return a.Interaction }},
		{"explained", func(_ Threefold, t Twofold) float64 { return t.Explained }},
		{"unexplained", func(_ Threefold, t Twofold) float64 { return t.Unexplained }},
	}
	for _, p := range parts {
		b.WriteString(rule)
		fmt.Fprintf(&b, "%-*s |\n", labelW, p.name)
		for _, d := range r.Detailed {
			var s float64
			if d.SE != nil {
				s = p.get(d.SE.Threefold, d.SE.Twofold)
			}
			row(d.Name, p.get(d.Threefold, d.Twofold), s, d.SE != nil)
		}
	}
	b.WriteString(rule)
	_, err := io.WriteString(w, b.String())
	return err
}
