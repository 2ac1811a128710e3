package indicators

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// expr is a small filter over employee columns, written in definitions as
// e.g. "employment_rate < 100", "is_manager", "contract in ('visstid',
// 'timavlönad')", "flextime is not null and not hourly_paid". Terms are
// joined by "and". It is parsed (not pasted into SQL) so that definitions
// cannot name unknown columns or smuggle SQL, and it compiles to SQL with
// quoted identifiers and escaped literals.
type expr struct {
	terms []term
}

type term struct {
	not    bool
	column string
	op     string   // "", "=", "!=", "<", "<=", ">", ">=", "is null", "is not null", "in"
	values []string // SQL literals, already escaped
}

// columns lists the columns the expression reads.
func (e *expr) columns() []string {
	if e == nil {
		return nil
	}
	var out []string
	for _, t := range e.terms {
		out = append(out, t.column)
	}
	return out
}

// sql renders the expression for DuckDB, reading columns from alias a.
func (e *expr) sql(a string) string {
	if e == nil || len(e.terms) == 0 {
		return "true"
	}
	parts := make([]string, len(e.terms))
	for i, t := range e.terms {
		col := a + `."` + t.column + `"`
		var s string
		switch t.op {
		case "":
			s = col
		case "is null", "is not null":
			s = col + " " + strings.ToUpper(t.op)
		case "in":
			s = col + " IN (" + strings.Join(t.values, ", ") + ")"
		default:
			s = col + " " + t.op + " " + t.values[0]
		}
		if t.not {
			s = "NOT (" + s + ")"
		}
		parts[i] = "(" + s + ")"
	}
	return strings.Join(parts, " AND ")
}

// known renders "every column of the expression is known (not NULL)".
func (e *expr) known(a string) string {
	cols := e.columns()
	if len(cols) == 0 {
		return "true"
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = a + `."` + c + `" IS NOT NULL`
	}
	return strings.Join(parts, " AND ")
}

type lexer struct {
	toks []string
	pos  int
}

func (l *lexer) peek() string {
	if l.pos < len(l.toks) {
		return l.toks[l.pos]
	}
	return ""
}

func (l *lexer) next() string {
	t := l.peek()
	if l.pos < len(l.toks) {
		l.pos++
	}
	return t
}

func tokenize(s string) ([]string, error) {
	var toks []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '\'':
			j := i + 1
			var b strings.Builder
			for ; j < len(rs); j++ {
				if rs[j] == '\'' {
					if j+1 < len(rs) && rs[j+1] == '\'' {
						b.WriteRune('\'')
						j++
						continue
					}
					break
				}
				b.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, fmt.Errorf("unterminated string in %q", s)
			}
			toks = append(toks, "'"+b.String())
			i = j + 1
		case strings.ContainsRune("(),", r):
			toks = append(toks, string(r))
			i++
		case strings.ContainsRune("<>=!", r):
			j := i + 1
			if j < len(rs) && (rs[j] == '=' || (r == '<' && rs[j] == '>')) {
				j++
			}
			toks = append(toks, string(rs[i:j]))
			i = j
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.' || r == '-':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' || rs[j] == '.' || rs[j] == '-') {
				j++
			}
			toks = append(toks, string(rs[i:j]))
			i = j
		default:
			return nil, fmt.Errorf("unexpected %q in %q", r, s)
		}
	}
	return toks, nil
}

// literal reads one literal and returns it as SQL.
func literal(tok string) (string, error) {
	switch {
	case strings.HasPrefix(tok, "'"):
		return "'" + strings.ReplaceAll(tok[1:], "'", "''") + "'", nil
	case strings.EqualFold(tok, "true"), strings.EqualFold(tok, "false"):
		return strings.ToLower(tok), nil
	}
	if _, err := strconv.ParseFloat(tok, 64); err == nil {
		return tok, nil
	}
	return "", fmt.Errorf("expected a number, 'text', true or false, got %q", tok)
}

func parseExpr(s string) (*expr, error) {
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	l := &lexer{toks: toks}
	e := &expr{}
	for {
		var t term
		if strings.EqualFold(l.peek(), "not") {
			l.next()
			t.not = true
		}
		col := l.next()
		if _, ok := employeeColumns[col]; !ok {
			if col == "" {
				return nil, fmt.Errorf("expected a column name at the end of %q", s)
			}
			return nil, fmt.Errorf("unknown employee column %q", col)
		}
		t.column = col
		switch op := strings.ToLower(l.peek()); op {
		case "=", "!=", "<>", "<", "<=", ">", ">=":
			l.next()
			if op == "<>" {
				op = "!="
			}
			lit, err := literal(l.next())
			if err != nil {
				return nil, err
			}
			t.op, t.values = op, []string{lit}
		case "is":
			l.next()
			if strings.EqualFold(l.peek(), "not") {
				l.next()
				t.op = "is not null"
			} else {
				t.op = "is null"
			}
			if !strings.EqualFold(l.next(), "null") {
				return nil, fmt.Errorf("expected null after is in %q", s)
			}
		case "in":
			l.next()
			if l.next() != "(" {
				return nil, fmt.Errorf("expected ( after in in %q", s)
			}
			t.op = "in"
			for {
				lit, err := literal(l.next())
				if err != nil {
					return nil, err
				}
				t.values = append(t.values, lit)
				sep := l.next()
				if sep == ")" {
					break
				}
				if sep != "," {
					return nil, fmt.Errorf("expected , or ) in %q", s)
				}
			}
		case "", "and":
			if employeeColumns[col] != "bool" {
				return nil, fmt.Errorf("column %s is not true/false; compare it with a value", col)
			}
		default:
			return nil, fmt.Errorf("unexpected %q in %q", l.peek(), s)
		}
		e.terms = append(e.terms, t)
		switch tok := l.next(); {
		case tok == "":
			return e, nil
		case strings.EqualFold(tok, "and"):
		default:
			return nil, fmt.Errorf("expected and between terms, got %q in %q", tok, s)
		}
	}
}
