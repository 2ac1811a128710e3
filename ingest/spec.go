package ingest

// Spec describes the layout of a CSV or xlsx file so that any layout can be
// read into canonical records. Specs are YAML files (see LoadSpec); the
// built-in specs recognise the public files jamstat knows by their content.
type Spec struct {
	Name   string `yaml:"name"`   // dataset name
	Format string `yaml:"format"` // "csv" or "xlsx"; "" = detect
	Kind   string `yaml:"kind"`   // "observation" or "employee"
}
