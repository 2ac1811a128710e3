package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// pending lists commands whose work is not done yet. Each says so plainly
// and exits 1; the entry is removed when the command's own file lands.
var pending = []struct {
	use, short string
	issue      int
}{}

func init() {
	for _, p := range pending {
		p := p
		register(func(g *globals) *cobra.Command {
			return &cobra.Command{
				Use:                p.use,
				Short:              p.short + " (not yet available)",
				DisableFlagParsing: true,
				RunE: func(cmd *cobra.Command, _ []string) error {
					return fmt.Errorf("%s is not available yet in this version (issue %d)", p.use, p.issue)
				},
			}
		})
	}
}
