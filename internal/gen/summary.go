package gen

// Summary reports what a run wrote.
type Summary struct {
	Employers int
	Files     int      // HR files
	Rows      int      // HR data rows, faulty rows included
	Bytes     int64    // bytes written to HR files
	Faults    []Fault  // injected faulty rows
	Kolada    []string // Kolada series files written (demo only), relative to Out
}

func (s *Summary) add(o Summary) {
	s.Files += o.Files
	s.Rows += o.Rows
	s.Bytes += o.Bytes
	s.Faults = append(s.Faults, o.Faults...)
	s.Kolada = append(s.Kolada, o.Kolada...)
}
