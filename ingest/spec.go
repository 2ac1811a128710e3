package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Spec describes the layout of a CSV or xlsx file so that any layout can be
// read into canonical records. Specs are YAML files (see LoadSpec and
// SPEC.md); the built-in specs recognise the public files jamstat knows by
// their content. A Spec built in Go is validated on first use.
type Spec struct {
	Name        string `yaml:"name"`        // dataset name: lower case, digits, _ . -
	Kind        string `yaml:"kind"`        // "observation", "employee", "reference" or "analysis"
	Format      string `yaml:"format"`      // "csv" or "xlsx"; "" = either
	Title       string `yaml:"title"`       // title of the table, reported in Meta
	Source      string `yaml:"source"`      // publisher, reported in Meta
	Description string `yaml:"description"` // what the dataset is, for people
	// Note says why a reference or analysis file is not ingested; it is the
	// error message for such a file.
	Note  string `yaml:"note"`
	Match Match  `yaml:"match"` // how a built-in spec recognises a file

	Encoding   string   `yaml:"encoding"`    // auto (default), utf-8, latin1/iso-8859-1/windows-1252, utf-16, utf-16le, utf-16be
	Delimiter  string   `yaml:"delimiter"`   // ";" "," "\t" (or "tab") "|" or auto (default)
	Decimal    string   `yaml:"decimal"`     // "." (default) or ","
	Thousands  []string `yaml:"thousands"`   // group separators: " ", "\u00a0" (or nbsp), "\u202f" (nnbsp), "." ...
	Sheet      string   `yaml:"sheet"`       // xlsx: sheet name, or 1-based position; default first visible sheet
	SkipRows   int      `yaml:"skip_rows"`   // title rows above the header
	HeaderRows *int     `yaml:"header_rows"` // rows the header spans (default 1; 0 = no header, columns by letter)
	HeaderJoin *string  `yaml:"header_join"` // joins labels of a multi-row header (default " ")
	HeaderFill *bool    `yaml:"header_fill"` // upper header rows carry a label right over empty cells (default true)
	Spacers    bool     `yaml:"spacers"`     // columns with an empty header are spacers (else an error)
	Missing    []string `yaml:"missing"`     // symbols for a missing value (default .. . - – NA and empty)
	// Sex maps further sex codes (case-insensitive) to T, K or M; the
	// defaults (K/M/T, kvinnor/män/samtliga/totalt, women/men, female/male)
	// stay unless overridden here.
	Sex         map[string]string `yaml:"sex"`
	TrueValues  []string          `yaml:"true_values"`  // further words for true (default ja, j, yes, y, true, sant, 1, x)
	FalseValues []string          `yaml:"false_values"` // further words for false (default nej, n, no, false, falskt, 0)
	CellErrors  string            `yaml:"cell_errors"`  // xlsx error cells (#N/A ...): "reject" (default) or "missing"
	Set         Set               `yaml:"set"`          // constant fields
	FromFile    string            `yaml:"from_file"`    // regexp on the file name; named groups set fields
	FromTitle   string            `yaml:"from_title"`   // regexp on the title rows; named groups set fields
	Columns     []Column          `yaml:"columns"`      // columns mapped to fields
	Melt        []Melt            `yaml:"melt"`         // wide value columns turned into rows

	// Path is the file the spec was read from ("" for a spec built in Go);
	// errors name it.
	Path string `yaml:"-"`

	once     sync.Once
	compiled *compiledSpec
	cerr     error
	root     *yaml.Node
}

// Match is how a built-in spec recognises a file when no spec is given.
// Every rule given must hold; the spec with most rules holding wins.
type Match struct {
	Header []string `yaml:"header"` // these column names appear in the header (whitespace and case ignored)
	File   string   `yaml:"file"`   // regexp on the file name
	Sheet  string   `yaml:"sheet"`  // xlsx: regexp on the sheet name
	Title  string   `yaml:"title"`  // regexp on the text of the title rows above the header
}

// Set holds constant fields: for a whole file (Spec.Set) or for the rows a
// melted column produces (Melt.Set).
type Set struct {
	Measure    string            `yaml:"measure"`
	Geo        string            `yaml:"geo"` // canonical code, e.g. "0000" for a national table
	Period     string            `yaml:"period"`
	Sex        string            `yaml:"sex"` // T, K or M, or any sex code
	Occupation string            `yaml:"occupation"`
	Sector     string            `yaml:"sector"`
	Unit       string            `yaml:"unit"`
	Employer   string            `yaml:"employer"`
	Dims       map[string]string `yaml:"dims"`
}

// Column maps one column of the file to a canonical field or a dimension.
type Column struct {
	Header   string            `yaml:"header"`    // the column's name in the header
	Letter   string            `yaml:"letter"`    // or its position as a spreadsheet letter: A, B ... AA
	Field    string            `yaml:"field"`     // canonical field (see SPEC.md)
	Dim      string            `yaml:"dim"`       // or a dimension name (Observation.Dims)
	Geo      string            `yaml:"geo"`       // for geo/employer: code (default), name or nuts2
	Pattern  string            `yaml:"pattern"`   // regexp taking the value out of the cell (group "value" or the first group)
	Map      map[string]string `yaml:"map"`       // value → value, after pattern; case-insensitive
	Type     string            `yaml:"type"`      // text fields: date, year or month (Excel serials or ISO text)
	Fraction bool              `yaml:"fraction"`  // employment_rate is written as a fraction (0, 1]
	FillDown bool              `yaml:"fill_down"` // an empty cell repeats the one above (grouped labels)
	Optional bool              `yaml:"optional"`  // the column may be absent from the file
}

// Melt turns wide value columns into rows: each matching column yields one
// Observation per row, its cell the value.
type Melt struct {
	Header  string `yaml:"header"`  // one column by name
	Pattern string `yaml:"pattern"` // or every column whose name matches; named groups set fields
	Set     Set    `yaml:"set"`     // fields for the rows this rule yields
}

// ErrNotDataset is wrapped by the error for a file that a built-in spec
// recognises as reference data or analysis input rather than a dataset
// (the Kolada municipality list, the textbook microdata): nothing of it is
// loaded, and the message says where it belongs.
var ErrNotDataset = errors.New("not a dataset for ingest")

// Spec kinds.
const (
	KindObservation = "observation"
	KindEmployee    = "employee"
	KindReference   = "reference" // reference data loaded by jamstat init
	KindAnalysis    = "analysis"  // microdata read by jamstat analyze --input
)

// maxSpecBytes bounds a spec file; real specs are a few KiB.
const maxSpecBytes = 1 << 20

// LoadSpec reads and validates the spec file at path.
func LoadSpec(path string) (*Spec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Reason: "cannot open spec", Err: err}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSpecBytes+1))
	if err != nil {
		return nil, &Error{File: path, Reason: "cannot read spec", Err: err}
	}
	if len(b) > maxSpecBytes {
		return nil, &Error{File: path, Reason: fmt.Sprintf("spec is over %d bytes", maxSpecBytes)}
	}
	return ParseSpec(path, b)
}

var yamlLineRe = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// ParseSpec parses and validates a spec; name is the file name used in
// errors ("hr.yaml: line 12: ...").
func ParseSpec(name string, b []byte) (*Spec, error) {
	if len(b) > maxSpecBytes {
		return nil, &Error{File: name, Reason: fmt.Sprintf("spec is over %d bytes", maxSpecBytes)}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, yamlError(name, err)
	}
	if len(root.Content) == 0 {
		return nil, &Error{File: name, Reason: "spec is empty"}
	}
	if err := checkDuplicateKeys(name, &root); err != nil {
		return nil, err
	}
	s := &Spec{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(s); err != nil {
		return nil, yamlError(name, err)
	}
	// A second document in the file is a mistake, not a second spec.
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		line := extra.Line
		if err != nil {
			return nil, yamlError(name, err)
		}
		return nil, &Error{File: name, Line: line, Reason: "more than one YAML document; a spec file holds one spec"}
	}
	s.Path = name
	s.root = &root
	if _, err := s.compile(); err != nil {
		return nil, err
	}
	return s, nil
}

// yamlError turns yaml.v3's messages ("line 3: field delimeter not found in
// type ingest.Spec") into one-line errors naming the spec file and line.
func yamlError(name string, err error) error {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msgs = te.Errors
	}
	m := yamlLineRe.FindStringSubmatch(strings.TrimSpace(msgs[0]))
	if m == nil {
		return &Error{File: name, Reason: "invalid spec: " + strings.TrimPrefix(msgs[0], "yaml: ")}
	}
	line, _ := strconv.Atoi(m[1])
	reason := m[2]
	if f := fieldNotFoundRe.FindStringSubmatch(reason); f != nil {
		reason = fmt.Sprintf("unknown field %q in %s", f[1], typeWord(f[2]))
	}
	if len(msgs) > 1 {
		reason += fmt.Sprintf(" (and %d more)", len(msgs)-1)
	}
	return &Error{File: name, Line: line, Reason: reason}
}

var fieldNotFoundRe = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)

func typeWord(t string) string {
	switch strings.TrimPrefix(t, "ingest.") {
	case "Spec":
		return "spec"
	case "Column":
		return "columns entry"
	case "Melt":
		return "melt entry"
	case "Set":
		return "set"
	case "Match":
		return "match"
	}
	return t
}

// checkDuplicateKeys reports a key given twice in one mapping; yaml.v3
// reports it too but without saying which file.
func checkDuplicateKeys(name string, n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if first, dup := seen[k.Value]; dup {
				return &Error{File: name, Line: k.Line, Reason: fmt.Sprintf("key %q given twice (first at line %d)", k.Value, first)}
			}
			seen[k.Value] = k.Line
		}
	}
	for _, c := range n.Content {
		if err := checkDuplicateKeys(name, c); err != nil {
			return err
		}
	}
	return nil
}

// nodeLine finds the line of the YAML node at path (map keys as strings,
// sequence positions as ints); it falls back to the deepest node found.
func (s *Spec) nodeLine(path ...any) int {
	if s.root == nil || len(s.root.Content) == 0 {
		return 0
	}
	n := s.root.Content[0]
	line := n.Line
	for _, p := range path {
		switch k := p.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return line
			}
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					line = n.Content[i].Line
					n = n.Content[i+1]
					found = true
					break
				}
			}
			if !found {
				return line
			}
		case int:
			if n.Kind != yaml.SequenceNode || k < 0 || k >= len(n.Content) {
				return line
			}
			n = n.Content[k]
			line = n.Line
		}
	}
	return line
}

// specErr is a validation error at path in the spec.
func (s *Spec) specErr(reason string, path ...any) error {
	name := s.Path
	if name == "" {
		name = "spec " + strconv.Quote(s.Name)
	}
	return &Error{File: name, Line: s.nodeLine(path...), Reason: reason}
}
