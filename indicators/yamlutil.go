package indicators

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlErr turns a yaml.v3 error into "file:line: message".
func yamlErr(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		// yaml.v3 writes "line N: cannot unmarshal …".
		msg := te.Errors[0]
		if rest, ok := strings.CutPrefix(msg, "line "); ok {
			if num, tail, ok := strings.Cut(rest, ": "); ok {
				return fmt.Errorf("%s:%s: %s", file, num, tail)
			}
		}
		return fmt.Errorf("%s: %s", file, msg)
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
		if num, tail, ok := strings.Cut(rest, ": "); ok {
			return fmt.Errorf("%s:%s: %s", file, num, tail)
		}
	}
	return fmt.Errorf("%s: %s", file, strings.TrimPrefix(msg, "yaml: "))
}

// docNode returns the top node of a parsed document.
func docNode(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return n.Content[0]
	}
	return n
}

// mapValue returns the value node of key in a mapping node, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// keyLine is the line of key in mapping m, or m's own line.
func keyLine(m *yaml.Node, key string) int {
	if m != nil && m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i].Line
			}
		}
	}
	if m == nil {
		return 0
	}
	return m.Line
}

// seqLine is the line of item i of the sequence under key in m.
func seqLine(m *yaml.Node, key string, i int) int {
	s := mapValue(m, key)
	if s != nil && s.Kind == yaml.SequenceNode && i < len(s.Content) {
		return s.Content[i].Line
	}
	return keyLine(m, key)
}

// checkKeys rejects keys of mapping m that are not allowed: a misspelt
// field would otherwise be ignored silently.
func checkKeys(file string, m *yaml.Node, allowed ...string) error {
	if m == nil {
		return nil
	}
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: expected a mapping", file, m.Line)
	}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if !ok[k.Value] {
			sorted := append([]string(nil), allowed...)
			sort.Strings(sorted)
			return fmt.Errorf("%s:%d: unknown field %q (known: %s)", file, k.Line, k.Value, strings.Join(sorted, ", "))
		}
	}
	return nil
}

// yamlKeys lists the yaml field names of a struct value.
func yamlKeys(v any) []string {
	t := reflect.TypeOf(v)
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("yaml")
		name, _, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, name)
	}
	return out
}
